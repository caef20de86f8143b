package io.harmonia.bench.app;

import io.harmonia.ability.UIAbility;

/** The UIAbility of the start benchmark's bundle (never started: the benchmark times the process's attach). */
public class BenchAbility extends UIAbility
{
    /** For the host. */
    public BenchAbility()
    {
    }
}
