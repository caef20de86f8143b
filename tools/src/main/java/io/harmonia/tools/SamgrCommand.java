package io.harmonia.tools;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.SamgrException;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.wire.EntryInfo;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;
import io.harmonia.tools.cli.CommandFailure;
import io.harmonia.tools.cli.DataCommand;
import io.harmonia.tools.cli.ExitCode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code harmonia samgr}: runs the samgr server ({@code serve}, the same command as {@code harmonia-samgr}, added in
 * {@link Main}) or shows what it holds: every entry ({@code list}) or one in detail ({@code dump}),
 * with its provider's pid and uid, the rules in force, lookups, refusals, subscribers, the processes that looked it
 * up and, for a feature, the calls its provider handled. A server that cannot be reached exits
 * {@link ExitCode#UNAVAILABLE}; a key with no entry {@link ExitCode#FAILED}.
 */
@Command(name = "samgr",
    description = "List and describe the system abilities and features registered with the samgr server.",
    subcommands = {SamgrCommand.ListEntries.class, SamgrCommand.Dump.class})
final class SamgrCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "missing the action: one of "
            + String.join(", ", spec.subcommands().keySet()));
    }

    private static List<EntryInfo> dump(final String address, final SamgrKey key)
    {
        final SamgrClient client;
        try
        {
            client = SamgrClient.connect(address, 2_000);
        }
        catch (final SamgrException unreachable)
        {
            throw CommandFailure.unavailable("cannot reach the samgr server at " + address + " (" + unreachable.getMessage()
                + ")", null);
        }
        try
        {
            return client.dump(key);
        }
        catch (final SamgrException refused)
        {
            if (ErrorCode.EC_NOSERVICE == refused.errorCode())
            {
                throw CommandFailure.failed("nothing is registered under " + key);
            }
            throw CommandFailure.failed("the samgr server at " + address + " answered " + refused.getMessage());
        }
    }

    /**
     * One entry as {@code --json} shows it.
     *
     * @param key          the key's text form (an id, service or service/feature).
     * @param kind         "ability" or "feature".
     * @param providerPid  the registering process.
     * @param providerUid  its uid.
     * @param policies     the rules in force, in their text form.
     * @param registeredAt when, ISO-8601.
     * @param lookups      successful lookups.
     * @param refusals     lookups refused by the rules.
     * @param subscribers  listeners of this key.
     * @param calls        calls the provider handled, -1 when not asked.
     * @param clients      the processes that looked it up.
     */
    record EntryView(String key, String kind, int providerPid, long providerUid, List<String> policies,
        String registeredAt, long lookups, long refusals, int subscribers, long calls, List<EntryInfo.ClientInfo> clients)
    {
        static EntryView of(final EntryInfo entry)
        {
            return new EntryView(entry.key().toString(), SamgrProtocol.KIND_ABILITY == entry.key().kind()
                ? "ability" : "feature", entry.providerPid(), Integer.toUnsignedLong(entry.providerUid()),
                entry.policies().stream().map(AccessPolicy::toString).toList(),
                Instant.ofEpochMilli(entry.registeredAt()).toString(), entry.lookups(), entry.refusals(),
                entry.subscribers(), entry.calls(), entry.clients());
        }
    }

    /** What both queries share: the server's address, stdout and {@code --json}. */
    abstract static class Action extends DataCommand
    {
        @Option(names = "--address", paramLabel = "ADDRESS",
            description = "The samgr server's address: a socket path or @name (default: ${DEFAULT-VALUE}).")
        private String address = SamgrProtocol.configuredAddress();

        final List<EntryInfo> dump(final SamgrKey key)
        {
            return SamgrCommand.dump(address, key);
        }
    }

    /** {@code samgr list}: every entry, one line each. */
    @Command(name = "list", description = "List every registered system ability and feature, one line each.")
    static final class ListEntries extends Action
    {
        @Override
        public Integer call()
        {
            final List<EntryInfo> entries = dump(SamgrKey.all());
            final StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-8s %-31s %-8s %-10s %-8s %s%n",
                "KIND", "KEY", "PID", "UID", "LOOKUPS", "POLICY"));
            for (final EntryInfo entry : entries)
            {
                final EntryView view = EntryView.of(entry);
                table.append(String.format(Locale.ROOT, "%-8s %-31s %-8d %-10d %-8d %s%n", view.kind(), view.key(),
                    view.providerPid(), view.providerUid(), view.lookups(), String.join(";", view.policies())));
            }
            return print(entries.stream().map(EntryView::of).toList(), table.toString());
        }
    }

    /** {@code samgr dump <id|name>}: one entry in detail. */
    @Command(name = "dump", description = {"Describe one entry: provider, policy, lookups, clients and call counts.",
        "KEY is a system ability id (a number), SERVICE, or SERVICE/FEATURE."})
    static final class Dump extends Action
    {
        @Parameters(index = "0", paramLabel = "KEY", description = "An ability id, SERVICE or SERVICE/FEATURE.")
        private String key;

        @Override
        public Integer call()
        {
            final SamgrKey parsed;
            try
            {
                parsed = SamgrKey.parse(key);
            }
            catch (final IllegalArgumentException malformed)
            {
                throw new ParameterException(spec().commandLine(), malformed.getMessage(), malformed);
            }
            final EntryView view = EntryView.of(dump(parsed).get(0));
            final StringBuilder text = new StringBuilder();
            text.append(view.kind()).append(' ').append(view.key()).append(System.lineSeparator());
            line(text, "provider", "pid " + view.providerPid() + ", uid " + view.providerUid());
            line(text, "registered", view.registeredAt());
            line(text, "policy", view.policies().isEmpty() ? "all" : String.join("; ", view.policies()));
            line(text, "lookups", view.lookups() + " (refused: " + view.refusals() + ")");
            line(text, "subscribers", Integer.toString(view.subscribers()));
            line(text, "calls", view.calls() < 0 ? "not reported (only features' providers count them)"
                : Long.toString(view.calls()));
            line(text, "clients", view.clients().isEmpty() ? "none" : "");
            for (final EntryInfo.ClientInfo client : view.clients())
            {
                text.append(String.format(Locale.ROOT, "  pid %-8d uid %-10d lookups %d%n", client.pid(),
                    Integer.toUnsignedLong(client.uid()), client.lookups()));
            }
            return print(view, text.toString());
        }

        private static void line(final StringBuilder text, final String label, final String value)
        {
            text.append(String.format(Locale.ROOT, "  %-12s %s%n", label, value).stripTrailing())
                .append(System.lineSeparator());
        }
    }
}
