package io.harmonia.foundation.bundle;

/**
 * One installed bundle, as the bundle database keeps it.
 *
 * @param bundleName      the bundle's name.
 * @param versionCode     its version code.
 * @param versionName     its version name.
 * @param appIdentifier   its app identifier ("" when it has none).
 * @param bundleId        its app id, 10000..65535, allocated as OpenHarmony does.
 * @param userId          the user it is installed for (OpenHarmony's first user, 100).
 * @param uid             userId * 200000 + bundleId.
 * @param gid             equal to the uid.
 * @param accessTokenId   its access token id: version 1, type HAP, a unique 20-bit id (OpenHarmony's layout).
 * @param apl             its ability privilege level ("normal", "system_basic", "system_core").
 * @param systemApp       whether the device's install list makes it a system app.
 * @param allowAppUsePrivilegeExtension whether it may implement a ServiceExtensionAbility.
 * @param allowedAcls     the ACL permissions the install list grants it.
 * @param codeDir         its code folder (manifest, libs/, resources/, launch file, launcher, AOT cache).
 * @param dataDir         its data folder (el2 base, owned by its uid).
 * @param aotCache        the AOT cache file, or "" when none could be made (aotNote says why).
 * @param aotNote         why there is no AOT cache, or "".
 * @param platform        the fingerprint of the app platform its launch file and cache were made for.
 * @param installTime     when it was first installed (ms since the epoch).
 * @param updateTime      when it was last installed or updated.
 * @param manifest        its checked module.json5.
 */
public record BundleRecord(String bundleName, int versionCode, String versionName, String appIdentifier,
    int bundleId, int userId, int uid, int gid, int accessTokenId, String apl, boolean systemApp,
    boolean allowAppUsePrivilegeExtension, java.util.List<String> allowedAcls, String codeDir, String dataDir,
    String aotCache, String aotNote, String platform, long installTime, long updateTime, ModuleManifest manifest)
{
}
