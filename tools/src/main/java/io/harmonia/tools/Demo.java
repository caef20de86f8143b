package io.harmonia.tools;

import java.io.PrintStream;

import io.harmonia.runtime.RuntimeInfo;

/**
 * The README's main job: shows the parts of Harmonia working together, printing what each step does.
 * Each capability adds its own step here as it lands.
 */
public final class Demo
{
    private final PrintStream out;

    Demo(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * Entry point.
     *
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        new Demo(System.out).run();
    }

    void run()
    {
        out.println("== Harmonia demo");
        out.println("[runtime] " + RuntimeInfo.current().describe());
        new io.harmonia.tools.demo.IpcIoDemo().run(out);
        io.harmonia.tools.demo.ChannelDemo.run(out);
        io.harmonia.tools.demo.SpawnDemo.run(out);
        io.harmonia.tools.demo.SamgrDemo.run(out);
    }
}
