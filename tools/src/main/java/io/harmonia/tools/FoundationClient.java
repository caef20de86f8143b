package io.harmonia.tools;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

import io.harmonia.ability.ServiceException;
import io.harmonia.tools.cli.CommandFailure;
import io.harmonia.tools.cli.ExitCode;
import io.harmonia.tools.cli.FoundationOption;
import io.harmonia.tools.cli.JsonOption;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every action of {@code bm} and {@code aa} shares: the foundation instance to talk to, stdout, {@code --json},
 * and one mapping of the services' failures: a service that cannot be reached exits {@link ExitCode#UNAVAILABLE},
 * a refusal {@link ExitCode#FAILED} with the service's message and its OpenHarmony code.
 */
abstract class FoundationClient implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Mixin
    private FoundationOption foundation;

    final String instance()
    {
        return foundation.instance();
    }

    final CommandSpec spec()
    {
        return spec;
    }

    /** Calls a service, turning its failures into the tools' exit codes. */
    static <T> T call(final Supplier<T> request)
    {
        try
        {
            return request.get();
        }
        catch (final ServiceException failed)
        {
            if (ServiceException.UNREACHABLE == failed.code())
            {
                throw CommandFailure.unavailable(failed.getMessage() + " (is foundation running? harmonia up)",
                    null);
            }
            throw CommandFailure.failed(failed.getMessage() + " (code " + failed.code() + ")");
        }
    }

    /** Prints the result: {@code data} as JSON with {@code --json}, else the text. */
    final int print(final Object data, final String text)
    {
        return json.print(spec.commandLine().getOut(), data, text);
    }
}
