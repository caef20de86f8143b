package io.harmonia.foundation.testapp;

import io.harmonia.ability.ExtensionContext;
import io.harmonia.ability.Want;

/**
 * What the test service extensions of both families do in each callback: log it (with the Want's abilityName and
 * the startId, as the seeds' samples do) and act on test parameters of the Want: {@code terminateInOnCreate}
 * (onCreate calls terminateSelf, the AppService seed's sample), {@code terminateInOnRequest},
 * {@code onConnectReturnsNull}, {@code
 * onRequestSleepMs} and {@code onDisconnectSleepMs} (a callback slower than its deadline).
 */
final class ServiceBehaviour
{
    private ServiceBehaviour()
    {
    }

    static void onCreate(final ExtensionContext context, final Want want)
    {
        EventLog.append(context, "onCreate " + want.abilityName());
        if (Boolean.TRUE.equals(want.parameters().get("terminateInOnCreate")))
        {
            context.terminateSelf().whenComplete((done, failure) -> EventLog.append(context, null == failure
                ? "terminateSelf resolved" : "terminateSelf rejected " + failure));
        }
    }

    static void onRequest(final ExtensionContext context, final Want want, final int startId)
    {
        EventLog.append(context, "onRequest " + startId + " " + want.abilityName());
        sleep(want, "onRequestSleepMs");
        if (Boolean.TRUE.equals(want.parameters().get("terminateInOnRequest")))
        {
            context.terminateSelf();
        }
    }

    static boolean onConnect(final ExtensionContext context, final Want want)
    {
        EventLog.append(context, "onConnect " + want.abilityName());
        return !Boolean.TRUE.equals(want.parameters().get("onConnectReturnsNull"));
    }

    static void onDisconnect(final ExtensionContext context, final Want want)
    {
        EventLog.append(context, "onDisconnect " + want.abilityName());
        sleep(want, "onDisconnectSleepMs");
    }

    static void onDestroy(final ExtensionContext context)
    {
        EventLog.append(context, "onDestroy");
    }

    private static void sleep(final Want want, final String parameter)
    {
        if (want.parameters().get(parameter) instanceof Integer millis)
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
}
