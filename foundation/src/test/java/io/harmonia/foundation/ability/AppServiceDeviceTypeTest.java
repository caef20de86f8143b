package io.harmonia.foundation.ability;

import static io.harmonia.foundation.ability.ExtensionFixture.APP_SEA;
import static io.harmonia.foundation.ability.ExtensionFixture.APP_SERVICE_BUNDLE;
import static io.harmonia.foundation.ability.ExtensionFixture.SEA;
import static io.harmonia.foundation.ability.ExtensionFixture.SERVICE_BUNDLE;
import static io.harmonia.foundation.ability.ExtensionFixture.want;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.AbilityException;
import io.harmonia.foundation.ability.ExtensionFixture.Recorder;

/**
 * AppServiceExtensionAbility takes effect only on 2-in-1 devices: on a device of another type (here "default") every
 * start, stop and connect gets 801, whoever calls, while ServiceExtensionAbility works as ever. As root.
 */
class AppServiceDeviceTypeTest
{
    @Test
    void offA2in1DeviceAppServiceRequestsGet801() throws Exception
    {
        try (ExtensionFixture fixture = ExtensionFixture.start("ext-device", "default"))
        {
            for (final var request : List.of(fixture.connector.startAppServiceExtensionAbility(
                want(APP_SERVICE_BUNDLE, APP_SEA)), fixture.connector.stopAppServiceExtensionAbility(
                want(APP_SERVICE_BUNDLE, APP_SEA))))
            {
                final ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> request.get(60, TimeUnit.SECONDS));
                assertEquals(AbilityErrors.CAPABILITY_NOT_SUPPORTED, ((AbilityException)failed.getCause()).code());
            }
            final Recorder refused = new Recorder();
            fixture.connector.connectAppServiceExtensionAbility(want(APP_SERVICE_BUNDLE, APP_SEA), refused);
            assertEquals(List.of("onFailed " + AbilityErrors.CAPABILITY_NOT_SUPPORTED), refused.await(1));

            final Recorder service = new Recorder();
            final long id = fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, SEA), service);
            assertEquals(List.of("onConnect"), service.await(1));
            fixture.connector.disconnectServiceExtensionAbility(id).get(60, TimeUnit.SECONDS);
            service.await(2);
        }
    }
}
