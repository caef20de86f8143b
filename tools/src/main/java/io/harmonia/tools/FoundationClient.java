package io.harmonia.tools;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.harmonia.ability.AbilityException;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.ServiceException;
import io.harmonia.bundle.BundleManagerClient;
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

    /**
     * Waits for a request of the callers' API; its failure (an {@link AbilityException}) becomes
     * {@link ExitCode#FAILED} with the message and OpenHarmony's code.
     */
    static void await(final CompletableFuture<Void> request, final long waitMillis)
    {
        try
        {
            request.get(waitMillis, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException failed)
        {
            final Throwable cause = failed.getCause();
            throw CommandFailure.failed(cause.getMessage() + (cause instanceof AbilityException refused
                ? " (code " + refused.code() + ")" : ""));
        }
        catch (final TimeoutException late)
        {
            throw CommandFailure.failed("no answer within " + waitMillis + " ms");
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
            throw CommandFailure.failed("interrupted");
        }
    }

    /**
     * The family of an extension, from the bundle manager's record of its bundle.
     *
     * @return SERVICE or APP_SERVICE, or null for a UIAbility or an unknown name (the ability manager then says
     *         why).
     */
    final ExtensionAbilityType extensionType(final String bundleName, final String abilityName)
    {
        final JsonNode record = BmCommand.parse(call(() -> BundleManagerClient.connect(instance())
            .getBundleInfo(bundleName)));
        for (final JsonNode extension : record.path("manifest").path("module").path("extensionAbilities"))
        {
            if (abilityName.equals(extension.path("name").asText()))
            {
                return ExtensionAbilityType.ofManifestType(extension.path("type").asText());
            }
        }
        return null;
    }

    /** Prints the result: {@code data} as JSON with {@code --json}, else the text. */
    final int print(final Object data, final String text)
    {
        return json.print(spec.commandLine().getOut(), data, text);
    }
}
