package io.harmonia.tools.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what a benchmark run must say about its machine, from /proc: the CPU model and cores, the kernel, the
 * load, and how much CPU other processes take. {@link #start()} is called before the first benchmark and
 * {@link #finish} after the last; between them, the CPU time the whole machine spent minus what this process and
 * its reaped children (the JMH forks, and through them their peers) spent is what others took.
 *
 * <p>The run is flagged as busy when the load average exceeds the cores at either end, when other processes used
 * more than {@value #BUSY_PERCENT} % of a core on average during the run, or when any used that much in the
 * second before it. The figures of a busy run are kept, with the warning in the report and the JSON.
 */
final class MachineProbe
{
    /** Percent of one core above which other processes make a run busy. */
    static final double BUSY_PERCENT = 25;
    private static final long SAMPLE_MILLIS = 1000;

    private final List<Double> loadStart;
    private final long machineTicksStart;
    private final long ownTicksStart;
    private final long nanoStart;
    private final List<String> busyProcesses;

    private MachineProbe(final List<Double> loadStart, final long machineTicksStart, final long ownTicksStart,
        final long nanoStart, final List<String> busyProcesses)
    {
        this.loadStart = loadStart;
        this.machineTicksStart = machineTicksStart;
        this.ownTicksStart = ownTicksStart;
        this.nanoStart = nanoStart;
        this.busyProcesses = busyProcesses;
    }

    /**
     * Reads the load and samples every process's CPU time for a second.
     *
     * @return the probe, to finish after the run.
     */
    static MachineProbe start()
    {
        final List<Double> load = loadAverage();
        final Map<Long, Long> before = processTicks();
        sleep(SAMPLE_MILLIS);
        final Map<Long, Long> after = processTicks();
        final long self = ProcessHandle.current().pid();
        final List<String> busy = new ArrayList<>();
        after.entrySet().stream()
            .filter(e -> e.getKey() != self && before.containsKey(e.getKey()))
            .map(e -> Map.entry(e.getKey(), (e.getValue() - before.get(e.getKey())) * 100.0 * 1000 / SAMPLE_MILLIS
                / TICKS_PER_SECOND))
            .filter(e -> e.getValue() >= BUSY_PERCENT)
            .sorted(Map.Entry.<Long, Double>comparingByValue(Comparator.reverseOrder()))
            .forEach(e -> busy.add(String.format(Locale.ROOT, "%s (pid %d) %.0f %%", processName(e.getKey()),
                e.getKey(), e.getValue())));
        return new MachineProbe(load, machineBusyTicks(), ownTicks(), System.nanoTime(), List.copyOf(busy));
    }

    /**
     * Reads the load again and describes the machine.
     *
     * @param runtime what ran the benchmarks (the JVM).
     * @return the machine record, with warnings when it was busy.
     */
    BenchRun.Machine finish(final String runtime)
    {
        final List<Double> loadEnd = loadAverage();
        final double seconds = Math.max(1e-3, (System.nanoTime() - nanoStart) / 1e9);
        final long others = Math.max(0, machineBusyTicks() - machineTicksStart - (ownTicks() - ownTicksStart));
        final double otherPercent = others * 100.0 / TICKS_PER_SECOND / seconds;
        final int cores = Runtime.getRuntime().availableProcessors();
        final List<String> warnings = new ArrayList<>();
        if (loadStart.getFirst() > cores || loadEnd.getFirst() > cores)
        {
            warnings.add(String.format(Locale.ROOT, "busy machine: load average %.2f at the start and %.2f at the "
                + "end, above the %d cores", loadStart.getFirst(), loadEnd.getFirst(), cores));
        }
        if (otherPercent > BUSY_PERCENT)
        {
            warnings.add(String.format(Locale.ROOT, "busy machine: other processes used %.0f %% of a core on "
                + "average during the run", otherPercent));
        }
        if (!busyProcesses.isEmpty())
        {
            warnings.add("busy machine: other processes used CPU before the run: " + String.join(", ", busyProcesses));
        }
        final String arch = System.getProperty("os.arch");
        return new BenchRun.Machine(cpuModel(), cores, "amd64".equals(arch) ? "x86_64" : arch,
            read(Path.of("/proc/sys/kernel/osrelease")).strip(), "Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ")", loadStart, loadEnd, Math.round(otherPercent * 10) / 10.0,
            busyProcesses, List.copyOf(warnings));
    }

    /** USER_HZ: Linux reports CPU times in /proc in 1/100 s on every architecture it runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private static String cpuModel()
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String line : read(Path.of("/proc/cpuinfo")).split("\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0)
            {
                fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        // x86: "model name"; ARM kernels give "Hardware" or "Model", or only the CPU's implementer and part.
        for (final String key : List.of("model name", "Model", "Hardware", "Processor", "cpu model"))
        {
            if (fields.containsKey(key) && !fields.get(key).isEmpty())
            {
                return fields.get(key);
            }
        }
        return fields.containsKey("CPU part")
            ? "CPU implementer " + fields.get("CPU implementer") + " part " + fields.get("CPU part") : "unknown";
    }

    private static List<Double> loadAverage()
    {
        final String[] fields = read(Path.of("/proc/loadavg")).split("\\s+");
        final List<Double> load = new ArrayList<>();
        for (int i = 0; i < 3 && i < fields.length; i++)
        {
            load.add(Double.parseDouble(fields[i]));
        }
        while (load.size() < 3)
        {
            load.add(0.0);
        }
        return List.copyOf(load);
    }

    /** CPU ticks the whole machine spent busy (everything but idle and iowait), from /proc/stat. */
    private static long machineBusyTicks()
    {
        final String first = read(Path.of("/proc/stat")).lines().findFirst().orElse("cpu");
        final String[] fields = first.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < fields.length && i <= 8; i++)
        {
            if (4 != i && 5 != i)
            {
                busy += Long.parseLong(fields[i]);
            }
        }
        return busy;
    }

    /** This process's CPU ticks with those of its reaped children (utime, stime, cutime, cstime). */
    private static long ownTicks()
    {
        final String[] fields = statFields(read(Path.of("/proc/self/stat")));
        return fields.length > 14
            ? Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                + Long.parseLong(fields[14])
            : 0;
    }

    private static Map<Long, Long> processTicks()
    {
        final Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*"))
        {
            for (final Path entry : entries)
            {
                final String[] fields = statFields(read(entry.resolve("stat")));
                if (fields.length > 12)
                {
                    ticks.put(Long.parseLong(entry.getFileName().toString()),
                        Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                }
            }
        }
        catch (final IOException | RuntimeException unreadable)
        {
            // a process that ended while being read, or /proc not mounted: fewer entries
        }
        return ticks;
    }

    /** The fields after "pid (comm) ": field 3 of proc(5) is index 0. */
    private static String[] statFields(final String stat)
    {
        final int close = stat.lastIndexOf(')');
        return close < 0 || close + 2 > stat.length() ? new String[0] : stat.substring(close + 2).trim().split(" ");
    }

    private static String processName(final long pid)
    {
        return read(Path.of("/proc", Long.toString(pid), "comm")).strip();
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException unreadable)
        {
            return "";
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
