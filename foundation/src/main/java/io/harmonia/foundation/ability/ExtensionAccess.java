package io.harmonia.foundation.ability;

import java.util.Optional;
import java.util.function.IntFunction;

import io.harmonia.ability.AbilityErrors;
import io.harmonia.ability.AbilityException;
import io.harmonia.ability.ExtensionAbilityType;
import io.harmonia.ability.Want;
import io.harmonia.foundation.access.AccessTokenManagerService;
import io.harmonia.foundation.bundle.BundleManagerService;
import io.harmonia.foundation.bundle.BundleRecord;
import io.harmonia.foundation.bundle.ModuleManifest;

/**
 * Who may start, stop and connect which service extension: the seeds' rules with OpenHarmony's codes, judged from
 * the caller's kernel uid (never from the Want) and the bundle database. The order of the checks is
 * OpenHarmony's, so a request that breaks several rules gets the code OpenHarmony would give.
 *
 * <p><b>Callers.</b> A <em>native</em> caller is root or a uid below 10000 (OpenHarmony's system abilities and
 * shell); a <em>system</em> caller is native or a bundle the device's install list makes a system app; any other
 * caller (a third-party bundle, or an unknown uid of 10000 and above) is <em>third-party</em>.
 *
 * <p><b>Every request</b> resolves its target first: 16000001 when the bundle is not installed, the module is not
 * the bundle's or it has no such ability; 16000002 when the ability is not an extension of the request's family
 * (a UIAbility, another extension type).
 *
 * <p><b>ServiceExtensionAbility.</b> start and stop: 202 for a caller that is not a system caller (system APIs);
 * then 16000004 for an ability that is not exported, unless the caller is native or its own bundle. connect:
 * 16000004 likewise; then 201 for a third-party caller none of whose abilities has the focus in the foreground.
 *
 * <p><b>AppServiceExtensionAbility.</b> 801 on a device that is not a 2-in-1 (for every caller: the seed says the
 * ability takes effect only there); 16000004 likewise; native callers pass (OpenHarmony lets system abilities
 * through); start and stop: 16000200 unless the caller is the owning bundle or its appIdentifier is in the
 * extension's appIdentifierAllowList; connect: 16000201 for such a caller while the instance has not been started;
 * last, 16000002 when the owning bundle does not hold {@code ohos.permission.SUPPORT_APP_SERVICE_EXTENSION} (the
 * install refuses such a bundle already; the check stands for a changed install list).
 */
final class ExtensionAccess
{
    /** The device type on which AppServiceExtensionAbility works. */
    static final String TWO_IN_ONE = "2in1";
    /** The ACL permission an AppServiceExtensionAbility's bundle must hold. */
    static final String SUPPORT_APP_SERVICE_EXTENSION = "ohos.permission.SUPPORT_APP_SERVICE_EXTENSION";
    private static final int FIRST_APP_UID = 10000;

    private final BundleManagerService bundles;
    private final IntFunction<String> focusedAbilityOf;
    private final String deviceType;

    /** A resolved target. */
    record Target(BundleRecord bundle, ModuleManifest.Extension extension)
    {
    }

    /** A caller as the checks see it. */
    record Caller(int uid, int pid, Optional<BundleRecord> bundle)
    {
        boolean isNative()
        {
            return uid < FIRST_APP_UID;
        }

        boolean isSystem()
        {
            return isNative() || bundle.map(BundleRecord::systemApp).orElse(false);
        }

        String describe()
        {
            return bundle.map(record -> record.bundleName() + " (uid " + uid + ")").orElse("uid " + uid);
        }
    }

    ExtensionAccess(final BundleManagerService bundles, final IntFunction<String> focusedAbilityOf,
        final String deviceType)
    {
        this.bundles = bundles;
        this.focusedAbilityOf = focusedAbilityOf;
        this.deviceType = deviceType;
    }

    /** The caller of a request, from its kernel uid and pid. */
    Caller caller(final int uid, final int pid)
    {
        return new Caller(uid, pid, uid < FIRST_APP_UID ? Optional.empty() : bundles.byUid(uid));
    }

    /**
     * Resolves the target of a request.
     *
     * @throws AbilityException 16000001 or 16000002.
     */
    Target resolve(final ExtensionAbilityType type, final Want want)
    {
        final BundleRecord bundle = bundles.find(want.bundleName()).orElseThrow(() -> new AbilityException(
            AbilityErrors.RESOLVE_FAILED, "bundle " + want.bundleName() + " is not installed"));
        final ModuleManifest.Module module = bundle.manifest().module();
        if (!want.deviceId().isEmpty())
        {
            throw new AbilityException(AbilityErrors.RESOLVE_FAILED, want.element() + ": device \"" + want.deviceId()
                + "\": only this device (\"\") is served");
        }
        if (!want.moduleName().isEmpty() && !want.moduleName().equals(module.name()))
        {
            throw new AbilityException(AbilityErrors.RESOLVE_FAILED, want.element() + ": bundle "
                + bundle.bundleName() + " has no module " + want.moduleName());
        }
        final ModuleManifest.Extension extension = module.extensionAbilities().stream()
            .filter(candidate -> candidate.name().equals(want.abilityName())).findFirst().orElse(null);
        if (null == extension)
        {
            final boolean uiAbility = module.abilities().stream()
                .anyMatch(ability -> ability.name().equals(want.abilityName()));
            throw uiAbility ? new AbilityException(AbilityErrors.WRONG_TYPE, want.element() + " is a UIAbility, not "
                + "an extension of type \"" + type.manifestType() + "\"")
                : new AbilityException(AbilityErrors.RESOLVE_FAILED, want.element() + ": bundle "
                    + bundle.bundleName() + " has no ability " + want.abilityName());
        }
        if (!type.manifestType().equals(extension.type()))
        {
            throw new AbilityException(AbilityErrors.WRONG_TYPE, want.element() + " has type \"" + extension.type()
                + "\", not \"" + type.manifestType() + "\"");
        }
        return new Target(bundle, extension);
    }

    /**
     * The rules of start and stop.
     *
     * @throws AbilityException 202, 801, 16000004, 16000200, 16000002.
     */
    void checkStartOrStop(final ExtensionAbilityType type, final Target target, final Caller caller,
        final String what)
    {
        if (ExtensionAbilityType.SERVICE == type)
        {
            if (!caller.isSystem())
            {
                throw new AbilityException(AbilityErrors.NOT_SYSTEM_APP, what + " " + target.extension().name()
                    + " is a system API: " + caller.describe() + " is not a system app");
            }
            checkVisible(target, caller);
            return;
        }
        checkDevice();
        checkVisible(target, caller);
        if (caller.isNative())
        {
            return;
        }
        if (!ownerOrListed(target, caller))
        {
            throw new AbilityException(AbilityErrors.NOT_IN_ALLOW_LIST, caller.describe() + " is neither "
                + target.bundle().bundleName() + " nor in the appIdentifierAllowList of " + target.extension().name());
        }
        checkAcl(target);
    }

    /**
     * The rules of connect.
     *
     * @param started whether the instance has been started (AppService: others may connect then).
     * @throws AbilityException 201, 801, 16000004, 16000201, 16000002.
     */
    void checkConnect(final ExtensionAbilityType type, final Target target, final Caller caller,
        final boolean started)
    {
        if (ExtensionAbilityType.SERVICE == type)
        {
            checkVisible(target, caller);
            if (!caller.isSystem() && null == focusedAbilityOf.apply(caller.uid()))
            {
                throw new AbilityException(AbilityErrors.PERMISSION_DENIED, caller.describe() + " is a third-party "
                    + "app: it may connect to " + target.extension().name() + " only while one of its abilities has "
                    + "the focus in the foreground");
            }
            return;
        }
        checkDevice();
        checkVisible(target, caller);
        if (caller.isNative())
        {
            return;
        }
        if (!started && !ownerOrListed(target, caller))
        {
            throw new AbilityException(AbilityErrors.TARGET_NOT_STARTED, target.extension().name() + " has not been "
                + "started yet, and " + caller.describe() + " is neither its bundle nor in its appIdentifierAllowList");
        }
        checkAcl(target);
    }

    /**
     * The device rule of an AppService disconnect.
     *
     * @throws AbilityException 801.
     */
    void checkDisconnect(final ExtensionAbilityType type)
    {
        if (ExtensionAbilityType.APP_SERVICE == type)
        {
            checkDevice();
        }
    }

    private void checkDevice()
    {
        if (!TWO_IN_ONE.equals(deviceType))
        {
            throw new AbilityException(AbilityErrors.CAPABILITY_NOT_SUPPORTED, "AppServiceExtensionAbility works only "
                + "on 2-in-1 devices; this device is \"" + deviceType + "\"");
        }
    }

    private static void checkVisible(final Target target, final Caller caller)
    {
        if (!target.extension().exported() && !caller.isNative() && target.bundle().uid() != caller.uid())
        {
            throw new AbilityException(AbilityErrors.INVISIBLE, target.bundle().bundleName() + "/"
                + target.extension().name() + " is not exported: only its own bundle may use it, not "
                + caller.describe());
        }
    }

    private static boolean ownerOrListed(final Target target, final Caller caller)
    {
        if (target.bundle().uid() == caller.uid())
        {
            return true;
        }
        final String appIdentifier = caller.bundle().map(BundleRecord::appIdentifier).orElse("");
        return !appIdentifier.isEmpty() && target.extension().appIdentifierAllowList().contains(appIdentifier);
    }

    private static void checkAcl(final Target target)
    {
        if (!AccessTokenManagerService.holds(target.bundle(), SUPPORT_APP_SERVICE_EXTENSION))
        {
            throw new AbilityException(AbilityErrors.WRONG_TYPE, target.bundle().bundleName() + " does not hold "
                + SUPPORT_APP_SERVICE_EXTENSION + ": it cannot provide an AppServiceExtensionAbility");
        }
    }
}
