package io.harmonia.foundation.bundle;

import java.util.List;
import java.util.stream.Stream;

/**
 * A bundle's {@code module.json5}, checked: the {@code app} section (bundle-wide facts, OpenHarmony's app.json5) and
 * the {@code module} section (its one module), as a compiled OpenHarmony HAP carries them in one module.json. Only
 * the fields Harmonia uses are kept; others are allowed and ignored. {@link ManifestParser} makes one; every
 * instance has passed every rule.
 *
 * @param app    the app section.
 * @param module the module section.
 */
public record ModuleManifest(App app, Module module)
{
    /**
     * The {@code app} section.
     *
     * @param bundleName    reverse-domain name, 7..127 bytes.
     * @param versionCode   0..2147483647.
     * @param versionName   1..127 bytes.
     * @param appIdentifier the app identifier other bundles' allow-lists name ("" when not given), 0..127 bytes.
     * @param vendor        0..255 bytes.
     * @param label         0..255 bytes.
     * @param description   0..255 bytes.
     */
    public record App(String bundleName, int versionCode, String versionName, String appIdentifier, String vendor,
        String label, String description)
    {
    }

    /**
     * The {@code module} section.
     *
     * @param name               1..31 bytes.
     * @param type               "entry" or "feature".
     * @param description        0..255 bytes.
     * @param mainElement        the ability started by default ("" when not given); must name an ability.
     * @param deviceTypes        the device types it runs on (informational).
     * @param abilities          the UIAbilities.
     * @param extensionAbilities the extension abilities.
     * @param requestPermissions the permissions the bundle requests.
     */
    public record Module(String name, String type, String description, String mainElement, List<String> deviceTypes,
        List<Ability> abilities, List<Extension> extensionAbilities, List<PermissionRequest> requestPermissions)
    {
        /**
         * Every srcEntry class of the module.
         *
         * @return the classes, abilities first.
         */
        public List<String> entryClasses()
        {
            return Stream.concat(abilities.stream().map(Ability::entryClass),
                extensionAbilities.stream().map(Extension::entryClass)).toList();
        }
    }

    /**
     * A UIAbility.
     *
     * @param name        unique in the bundle, 1..127 bytes.
     * @param srcEntry    the class (or OpenHarmony-style path, see {@link ManifestParser#entryClass}), 1..127 bytes.
     * @param entryClass  the Java class srcEntry names.
     * @param description 0..255 bytes.
     * @param label       0..255 bytes.
     * @param exported    whether other bundles may start it (default false).
     * @param launchType  "singleton" (default), "multiton" or "specified"; Harmonia runs every one as singleton.
     * @param permissions the permissions a caller needs, each 1..255 bytes.
     */
    public record Ability(String name, String srcEntry, String entryClass, String description, String label,
        boolean exported, String launchType, List<String> permissions)
    {
    }

    /**
     * An extension ability.
     *
     * @param name                   unique in the bundle, 1..127 bytes.
     * @param srcEntry               1..127 bytes.
     * @param entryClass             the Java class srcEntry names.
     * @param type                   one of OpenHarmony's extension types ("service", "appService", ...).
     * @param description            0..255 bytes.
     * @param label                  0..255 bytes.
     * @param exported               whether other bundles may use it (default false).
     * @param permissions            the permissions a caller needs, each 1..255 bytes.
     * @param appIdentifierAllowList the app identifiers allowed to start it (type "appService" only).
     */
    public record Extension(String name, String srcEntry, String entryClass, String type, String description,
        String label, boolean exported, List<String> permissions, List<String> appIdentifierAllowList)
    {
    }

    /**
     * A requested permission.
     *
     * @param name   1..255 bytes.
     * @param reason 0..255 bytes.
     */
    public record PermissionRequest(String name, String reason)
    {
    }
}
