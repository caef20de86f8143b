package io.harmonia.foundation.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The device's install list: which bundles are system apps and which privileges they hold (OpenHarmony's
 * {@code install_list_capability.json}, which grants preinstalled apps their privileges; Harmonia has no signing
 * profiles, so this root-owned file of the device is the only source). A bundle's manifest can never grant itself a
 * privilege. The file is read at every install, so an administrator's change applies to the next install or update;
 * a missing file grants nothing.
 *
 * <pre>
 * {
 *   install_list: [
 *     { bundleName: "com.example.myapplication", systemApp: true, apl: "system_basic",
 *       allowAppUsePrivilegeExtension: true,
 *       allowedAcls: ["ohos.permission.SUPPORT_APP_SERVICE_EXTENSION"] },
 *   ],
 * }
 * </pre>
 */
public final class InstallList
{
    /** The ability privilege levels. */
    public static final Set<String> APLS = Set.of("normal", "system_basic", "system_core");

    private static final ObjectMapper JSON5 = JsonMapper.builder()
        .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA,
            JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * What the list says of one bundle.
     *
     * @param systemApp                     a system app.
     * @param apl                           its ability privilege level.
     * @param allowAppUsePrivilegeExtension may implement a ServiceExtensionAbility.
     * @param allowedAcls                   ACL permissions granted.
     */
    public record Entry(boolean systemApp, String apl, boolean allowAppUsePrivilegeExtension,
        List<String> allowedAcls)
    {
        /** A bundle the list does not name: a third-party app at "normal". */
        public static final Entry THIRD_PARTY = new Entry(false, "normal", false, List.of());
    }

    private InstallList()
    {
    }

    /**
     * Looks a bundle up in the list file.
     *
     * @param file       the list (may be missing).
     * @param bundleName the bundle.
     * @return its entry, or {@link Entry#THIRD_PARTY}.
     * @throws IOException when the file exists but is malformed (naming the field).
     */
    public static Entry lookup(final Path file, final String bundleName) throws IOException
    {
        if (null == file || !Files.isRegularFile(file))
        {
            return Entry.THIRD_PARTY;
        }
        final JsonNode root = JSON5.readTree(file.toFile());
        final JsonNode list = root.path("install_list");
        if (!list.isArray())
        {
            throw new IOException(file + ": install_list must be an array");
        }
        for (int i = 0; i < list.size(); i++)
        {
            final JsonNode entry = list.get(i);
            if (!bundleName.equals(entry.path("bundleName").asText(null)))
            {
                continue;
            }
            final String apl = entry.path("apl").asText("normal");
            if (!APLS.contains(apl))
            {
                throw new IOException(file + ": install_list[" + i + "].apl \"" + apl + "\": must be one of "
                    + String.join(", ", APLS.stream().sorted().toList()));
            }
            final List<String> acls = new ArrayList<>();
            entry.path("allowedAcls").forEach(acl -> acls.add(acl.asText()));
            return new Entry(entry.path("systemApp").asBoolean(false), apl,
                entry.path("allowAppUsePrivilegeExtension").asBoolean(false), List.copyOf(acls));
        }
        return Entry.THIRD_PARTY;
    }
}
