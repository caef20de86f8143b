package io.harmonia.foundation.ability;

import static io.harmonia.foundation.ability.ExtensionFixture.APP_SEA;
import static io.harmonia.foundation.ability.ExtensionFixture.APP_SERVICE_BUNDLE;
import static io.harmonia.foundation.ability.ExtensionFixture.CONNECT_EXT_APP;
import static io.harmonia.foundation.ability.ExtensionFixture.LISTED;
import static io.harmonia.foundation.ability.ExtensionFixture.SEA;
import static io.harmonia.foundation.ability.ExtensionFixture.SERVICE_BUNDLE;
import static io.harmonia.foundation.ability.ExtensionFixture.STRANGER;
import static io.harmonia.foundation.ability.ExtensionFixture.want;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.ServiceException;
import io.harmonia.bindings.posix.Posix;
import io.harmonia.foundation.ability.ExtensionFixture.ClientApp;

/**
 * Who may start, stop and connect (the seeds' rules, flows F8, F9, F12, F14, F15 of the requirements), judged from
 * the callers' kernel identity: the callers here are app processes of third-party bundles, driven through their
 * control objects, and each refusal carries OpenHarmony's code. Inside the services, getCallingUid maps to the
 * caller's bundle and the token check asks the access token manager. As root.
 */
class ExtensionPermissionTest extends ExtensionTestSupport
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUEST_CODE = 1;
    private static final int IDENTITY = 2;
    private static final int TOKEN_CHECK = 3;
    private static final int UID_CHECK = 4;

    @Override
    String instanceName()
    {
        return "ext-perm";
    }

    private static boolean connected(final List<String> events, final long id)
    {
        return events.stream().anyMatch(event -> event.startsWith("onConnect " + id + " "));
    }

    @Test
    void f15AThirdPartyAppMayOnlyConnectAndOnlyWhileFocused() throws Exception
    {
        final ClientApp app = fixture.client(CONNECT_EXT_APP);
        assertEquals(AbilityErrors.NOT_SYSTEM_APP, app.start(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA)),
            "startServiceExtensionAbility is a system API");
        assertEquals(AbilityErrors.NOT_SYSTEM_APP, app.stop(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA)));

        final long focused = app.connect(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA));
        app.awaitEvents(events -> connected(events, focused), "onConnect while focused");
        assertArrayEquals(new int[] {0, 8}, app.call(focused, REQUEST_CODE, 7, 1));

        fixture.focus(STRANGER);
        final long background = app.connect(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA));
        final List<String> events = app.awaitEvents(seen -> seen.contains("onFailed " + background + " 201"),
            "onFailed(201) in the background");
        assertTrue(events.stream().noneMatch(event -> event.startsWith("onConnect " + background)));
        assertEquals(0, app.disconnect(ExtensionAbilityType.SERVICE, focused), "the earlier connection stays usable");

        // exported=false: only its own bundle (and native callers) may use it
        fixture.focus(CONNECT_EXT_APP);
        final long hidden = app.connect(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, "PrivateService"));
        app.awaitEvents(seen -> seen.contains("onFailed " + hidden + " " + AbilityErrors.INVISIBLE), "16000004");
        final ExtensionFixture.Recorder root = new ExtensionFixture.Recorder();
        fixture.connector.connectServiceExtensionAbility(want(SERVICE_BUNDLE, "PrivateService"), root);
        assertEquals(List.of("onConnect"), root.await(1), "a native caller may");

        // a third-party bundle cannot provide a ServiceExtensionAbility
        final ServiceException refused = assertThrows(ServiceException.class, () -> fixture.install(
            "com.example.thirdparty", ExtensionFixture.manifest("com.example.thirdparty", 1, """
                extensionAbilities: [ { name: 'ServiceExtAbility', type: 'service', exported: true,
                  srcEntry: 'io.harmonia.foundation.testapp.TestServiceExtension' } ],
                """, "")));
        assertEquals(201, refused.code());
    }

    @Test
    void f14TheAppServiceCallerRules() throws Exception
    {
        final ClientApp stranger = fixture.client(STRANGER);
        final long early = stranger.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        stranger.awaitEvents(seen -> seen.contains("onFailed " + early + " " + AbilityErrors.TARGET_NOT_STARTED),
            "16000201 while not started");
        assertEquals(AbilityErrors.NOT_IN_ALLOW_LIST, stranger.start(ExtensionAbilityType.APP_SERVICE,
            want(APP_SERVICE_BUNDLE, APP_SEA)));

        // a listed app may connect before the instance is started (a connect-only instance is not "started")
        final ClientApp listed = fixture.client(LISTED);
        final long listedId = listed.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        listed.awaitEvents(seen -> connected(seen, listedId), "the listed app connects");
        final long stillEarly = stranger.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        stranger.awaitEvents(seen -> seen.contains("onFailed " + stillEarly + " " + AbilityErrors.TARGET_NOT_STARTED),
            "connected is not started");

        // once the owner started it, the stranger may connect (the seed's wording), never start or stop it
        final ClientApp owner = fixture.client(APP_SERVICE_BUNDLE);
        assertEquals(0, owner.start(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA)));
        final long late = stranger.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        stranger.awaitEvents(seen -> connected(seen, late), "the stranger connects to the started instance");
        assertEquals(AbilityErrors.NOT_IN_ALLOW_LIST, stranger.stop(ExtensionAbilityType.APP_SERVICE,
            want(APP_SERVICE_BUNDLE, APP_SEA)));
        assertEquals(0, stranger.disconnect(ExtensionAbilityType.APP_SERVICE, late));
        assertEquals(0, listed.stop(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA)),
            "a listed app may stop it");
        listed.awaitEvents(seen -> seen.contains("onDisconnect " + listedId), "the stop disconnects the listed app");

        // a bundle without the ACL cannot provide one
        final ServiceException noAcl = assertThrows(ServiceException.class, () -> fixture.install(
            "com.example.noacl", ExtensionFixture.manifest("com.example.noacl", 1, """
                extensionAbilities: [ { name: 'AppServiceExtAbility', type: 'appService', exported: true,
                  srcEntry: 'io.harmonia.foundation.testapp.TestAppServiceExtension' } ],
                """, "{ name: 'ohos.permission.SUPPORT_APP_SERVICE_EXTENSION' },")));
        assertEquals(201, noAcl.code());

        // listing the stranger's appIdentifier makes both succeed
        fixture.install(APP_SERVICE_BUNDLE, ExtensionFixture.manifest(APP_SERVICE_BUNDLE, 2, """
            extensionAbilities: [
              { name: 'AppServiceExtAbility', type: 'appService', exported: true,
                srcEntry: 'io.harmonia.foundation.testapp.TestAppServiceExtension',
                appIdentifierAllowList: ['id-com.samples.listed', 'id-com.samples.stranger'] },
            ],
            """, "{ name: 'ohos.permission.SUPPORT_APP_SERVICE_EXTENSION' },"));
        final ClientApp allowed = fixture.client(STRANGER);
        final long now = allowed.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        allowed.awaitEvents(seen -> connected(seen, now), "listed now: connect");
        assertEquals(0, allowed.start(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA)));
        assertEquals(0, allowed.stop(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA)));
    }

    @Test
    void f8GetCallingUidMapsToTheCallersBundle() throws Exception
    {
        final ClientApp listed = fixture.client(LISTED);
        final long id = listed.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        listed.awaitEvents(seen -> connected(seen, id), "connected");
        final int[] identity = listed.call(id, IDENTITY, 0, 2);
        assertEquals(0, identity[0]);
        assertEquals(fixture.uids.get(LISTED), identity[1], "getCallingUid is the caller's uid");
        assertEquals(listed.pid(), identity[2], "getCallingPid is the caller's pid");

        // [000]: the reply goes before the check ends; the verdict is only logged
        assertArrayEquals(new int[] {0}, listed.call(id, UID_CHECK, 0, 0));
        fixture.awaitEvents(APP_SERVICE_BUNDLE, seen -> seen.contains(
            "AppServiceExtAbility uid check com.samples.listed is not in trustlist, reject"), "rejected");
        // from the owning bundle itself (a call inside its process: getCallingUid is its own uid)
        final ClientApp owner = fixture.client(APP_SERVICE_BUNDLE);
        final long own = owner.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        owner.awaitEvents(seen -> connected(seen, own), "the owner connects");
        assertEquals(fixture.uids.get(APP_SERVICE_BUNDLE), owner.call(own, IDENTITY, 0, 1)[1]);
        assertArrayEquals(new int[] {0}, owner.call(own, UID_CHECK, 0, 0));
        fixture.awaitEvents(APP_SERVICE_BUNDLE, seen -> seen.contains(
            "AppServiceExtAbility uid check com.samples.stagemodelabilitydevelop accepted"), "accepted");

        // [001]: the ServiceExtensionAbility's check expects com.example.connectextapp
        final ClientApp connectExt = fixture.client(CONNECT_EXT_APP);
        final long sea = connectExt.connect(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA));
        connectExt.awaitEvents(seen -> connected(seen, sea), "connected");
        assertArrayEquals(new int[] {0}, connectExt.call(sea, UID_CHECK, 0, 0));
        fixture.awaitEvents(SERVICE_BUNDLE, seen -> seen.contains(
            "ServiceExtAbility uid check com.example.connectextapp accepted"), "accepted");
        final ClientApp stranger = fixture.client(STRANGER);
        final long other = stranger.connect(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA));
        stranger.awaitEvents(seen -> connected(seen, other), "connected");
        assertArrayEquals(new int[] {0}, stranger.call(other, UID_CHECK, 0, 0));
        fixture.awaitEvents(SERVICE_BUNDLE, seen -> seen.contains(
            "ServiceExtAbility uid check com.samples.stranger is not in whitelist, reject")
            || seen.contains("ServiceExtAbility uid check com.samples.stranger is not in trustlist, reject"),
            "rejected");
    }

    @Test
    void f9TheTokenCheckFollowsTheGrant() throws Exception
    {
        // [001]: SET_WALLPAPER (level normal): not requested, denied: callback(ERR_DENY)
        ClientApp app = fixture.client(CONNECT_EXT_APP);
        final long first = app.connect(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA));
        app.awaitEvents(seen -> connected(seen, first), "connected");
        final int[] identity = app.call(first, IDENTITY, 0, 2);
        final long token = JSON.readTree(fixture.bms.getBundleInfo(CONNECT_EXT_APP)).get("accessTokenId").asLong();
        assertEquals(fixture.uids.get(CONNECT_EXT_APP), identity[1]);
        assertArrayEquals(new int[] {0, -1}, app.call(first, TOKEN_CHECK, 5, 1), "PERMISSION_DENIED");
        assertTrue(token > 0);

        fixture.install(CONNECT_EXT_APP, ExtensionFixture.manifest(CONNECT_EXT_APP, 2, "",
            "{ name: 'ohos.permission.SET_WALLPAPER' },"));
        app = fixture.client(CONNECT_EXT_APP);
        final long granted = app.connect(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA));
        app.awaitEvents(seen -> connected(seen, granted), "connected");
        assertArrayEquals(new int[] {0, 0, 6}, app.call(granted, TOKEN_CHECK, 5, 2), "granted: (ERR_OK, data + 1)");

        // [000]: GET_BUNDLE_INFO_PRIVILEGED (level system_basic): requested by a normal app, denied: false
        fixture.install(LISTED, ExtensionFixture.manifest(LISTED, 2, "",
            "{ name: 'ohos.permission.GET_BUNDLE_INFO_PRIVILEGED' },"));
        ClientApp listed = fixture.client(LISTED);
        final long denied = listed.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        listed.awaitEvents(seen -> connected(seen, denied), "connected");
        assertArrayEquals(new int[] {4}, listed.call(denied, TOKEN_CHECK, 0, 1), "the handler returned false");

        fixture.setListedApl("system_basic");
        try
        {
            fixture.install(LISTED, ExtensionFixture.manifest(LISTED, 3, "",
                "{ name: 'ohos.permission.GET_BUNDLE_INFO_PRIVILEGED' },"));
        }
        finally
        {
            fixture.setListedApl("normal");
        }
        listed = fixture.client(LISTED);
        final long allowed = listed.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        listed.awaitEvents(seen -> connected(seen, allowed), "connected");
        assertArrayEquals(new int[] {0, 0}, listed.call(allowed, TOKEN_CHECK, 0, 1), "granted: true");
    }

    @Test
    void f12AKilledClientsConnectionsGo() throws Exception
    {
        final ClientApp app = fixture.client(CONNECT_EXT_APP);
        final long id = app.connect(ExtensionAbilityType.SERVICE, want(SERVICE_BUNDLE, SEA));
        app.awaitEvents(seen -> connected(seen, id), "connected");
        final ClientApp listed = fixture.client(LISTED);
        final long appService = listed.connect(ExtensionAbilityType.APP_SERVICE, want(APP_SERVICE_BUNDLE, APP_SEA));
        listed.awaitEvents(seen -> connected(seen, appService), "connected");
        assertEquals(2, fixture.connectionCount());

        Posix.kill(app.pid(), 9);
        Posix.kill(listed.pid(), 9);
        fixture.awaitEvents(SERVICE_BUNDLE, seen -> seen.equals(List.of("ServiceExtAbility onCreate ServiceExtAbility",
            "ServiceExtAbility onConnect ServiceExtAbility", "ServiceExtAbility onDisconnect ServiceExtAbility",
            "ServiceExtAbility onDestroy")), "a connect-only service goes with its client");
        fixture.awaitEvents(APP_SERVICE_BUNDLE, seen -> seen.contains("AppServiceExtAbility onDestroy"),
            "the AppService too");
        fixture.awaitNoRecords();
        assertEquals(0, fixture.connectionCount());
    }
}
