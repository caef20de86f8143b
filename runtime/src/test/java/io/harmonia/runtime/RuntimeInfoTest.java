package io.harmonia.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.harmonia.bindings.Feature;

class RuntimeInfoTest
{
    @Test
    void describesThisProcessAndTheLoadedLibrary()
    {
        final RuntimeInfo info = RuntimeInfo.current();
        assertEquals(ProcessHandle.current().pid(), info.pid());
        assertTrue(info.features().contains(Feature.MEMFD));
        final String line = info.describe();
        assertTrue(line.startsWith("libharmonia " + info.libraryVersion() + " (" + info.arch() + "; memfd"), line);
        assertTrue(line.contains("pid " + info.pid() + ", uid " + info.uid() + " (" + info.userName() + ")"), line);
    }
}
