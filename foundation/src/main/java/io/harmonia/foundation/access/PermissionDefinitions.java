package io.harmonia.foundation.access;

import java.util.List;
import java.util.Map;

/**
 * The system-defined permissions Harmonia knows (OpenHarmony's permission list: there is no permission
 * customization, so only these can be granted or verified), each with the lowest ability privilege level (APL) a
 * bundle needs to be granted it at install, OpenHarmony's "system_grant" model: a bundle holds a permission it
 * requested in module.json5 when its APL (from the device's install list) reaches the permission's level, or when
 * the install list grants the permission as an ACL. User-granted permissions are not modelled (no user to ask), so
 * none is listed.
 */
public final class PermissionDefinitions
{
    /** The ability privilege levels, lowest first. */
    public static final List<String> LEVELS = List.of("normal", "system_basic", "system_core");

    /** Permission name to the level it needs. */
    private static final Map<String, String> LEVEL_OF = Map.ofEntries(
        Map.entry("ohos.permission.SET_WALLPAPER", "normal"),
        Map.entry("ohos.permission.GET_BUNDLE_INFO", "normal"),
        Map.entry("ohos.permission.INTERNET", "normal"),
        Map.entry("ohos.permission.KEEP_BACKGROUND_RUNNING", "normal"),
        Map.entry("ohos.permission.GET_BUNDLE_INFO_PRIVILEGED", "system_basic"),
        Map.entry("ohos.permission.START_ABILITIES_FROM_BACKGROUND", "system_basic"),
        Map.entry("ohos.permission.SUPPORT_APP_SERVICE_EXTENSION", "system_basic"),
        Map.entry("ohos.permission.START_INVISIBLE_ABILITY", "system_core"));

    private PermissionDefinitions()
    {
    }

    /**
     * Whether the permission is defined.
     *
     * @param permission the name.
     * @return true for a system-defined permission.
     */
    public static boolean defined(final String permission)
    {
        return LEVEL_OF.containsKey(permission);
    }

    /**
     * Whether a bundle of an APL with these ACLs may hold a permission.
     *
     * @param permission  the name.
     * @param apl         the bundle's ability privilege level.
     * @param allowedAcls the permissions the install list grants it as ACLs.
     * @return true when the permission is defined and the APL reaches its level or an ACL grants it.
     */
    public static boolean grantable(final String permission, final String apl, final List<String> allowedAcls)
    {
        final String level = LEVEL_OF.get(permission);
        if (null == level)
        {
            return false;
        }
        return LEVELS.indexOf(apl) >= LEVELS.indexOf(level) || allowedAcls.contains(permission);
    }
}
