package io.harmonia.foundation.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads and checks a bundle's {@code module.json5}. The text is JSON5 as OpenHarmony's tools write it (comments,
 * trailing commas, single quotes, unquoted keys, leading or trailing decimal points, +, NaN and Infinity), parsed by
 * Jackson with its JSON5 read features (docs/decisions.md says why Jackson, and what of JSON5 it lacks). A repeated
 * key is an error, so is a file over {@value #MAX_BYTES} bytes or nested deeper than {@value #MAX_DEPTH}: the file
 * comes from whoever made the bundle.
 *
 * <p>Limits are OpenHarmony's (module-configuration-file, app-configuration-file): bundleName 7..127 bytes in
 * reverse-domain form, module name 1..31 bytes, ability and extension names and srcEntry 1..127 bytes, versionName
 * 1..127 bytes, descriptions, labels and each permission 255 bytes. Every violation is collected, each naming the
 * field by its path ({@code module.extensionAbilities[1].srcEntry}) and the limit.
 */
public final class ManifestParser
{
    /** The manifest's file name in a bundle. */
    public static final String FILE_NAME = "module.json5";
    /** The largest manifest, in bytes. */
    public static final int MAX_BYTES = 1 << 20;
    /** The deepest nesting of objects and arrays. */
    public static final int MAX_DEPTH = 32;
    /** Most entries in any array of the manifest. */
    public static final int MAX_ENTRIES = 1024;

    /** Longest bundle name, ability or extension name, srcEntry, versionName and app identifier, in bytes. */
    public static final int NAME_MAX = 127;
    /** Shortest bundle name. */
    public static final int BUNDLE_NAME_MIN = 7;
    /** Longest module name. */
    public static final int MODULE_NAME_MAX = 31;
    /** Longest description, label, vendor, permission name and reason. */
    public static final int TEXT_MAX = 255;

    /** The extension types OpenHarmony defines; Harmonia runs "service" and "appService". */
    public static final Set<String> EXTENSION_TYPES = Set.of("service", "appService", "form", "workScheduler",
        "inputMethod", "accessibility", "dataShare", "fileShare", "staticSubscriber", "wallpaper", "backup", "window",
        "enterpriseAdmin", "thumbnail", "preview", "fileAccess", "print", "push", "driver", "embeddedUI", "ui");
    /** The module types a bundle may install. */
    public static final Set<String> MODULE_TYPES = Set.of("entry", "feature");
    /** The launch types of a UIAbility. */
    public static final Set<String> LAUNCH_TYPES = Set.of("singleton", "multiton", "specified");

    private static final Pattern BUNDLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)+");
    private static final String JAVA_IDENTIFIER = "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
    private static final Pattern JAVA_CLASS = Pattern.compile(JAVA_IDENTIFIER + "(\\." + JAVA_IDENTIFIER + ")*");

    private static final ObjectMapper JSON5 = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_BYTES).maxDocumentLength(MAX_BYTES).build())
            .build())
        .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA,
            JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
            JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
            JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
            JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
            JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();

    private final List<String> violations = new ArrayList<>();

    private ManifestParser()
    {
    }

    /**
     * Parses and checks a manifest.
     *
     * @param bytes the file's bytes.
     * @return the manifest.
     * @throws ManifestException with every violation.
     */
    public static ModuleManifest parse(final byte[] bytes) throws ManifestException
    {
        if (bytes.length > MAX_BYTES)
        {
            throw new ManifestException(List.of(FILE_NAME + ": " + bytes.length + " bytes, limit " + MAX_BYTES));
        }
        final JsonNode root;
        try
        {
            root = JSON5.readTree(bytes);
        }
        catch (final JsonProcessingException malformed)
        {
            final var location = malformed.getLocation();
            final String where = null == location ? "" : " line " + location.getLineNr() + ", column "
                + location.getColumnNr();
            final String reason = malformed.getOriginalMessage()
                .replaceAll("\\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
            throw new ManifestException(List.of(FILE_NAME + where + ": malformed JSON5: " + reason));
        }
        catch (final IOException unreadable)
        {
            throw new ManifestException(List.of(FILE_NAME + ": unreadable: " + unreadable.getMessage()));
        }
        final ManifestParser parser = new ManifestParser();
        final ModuleManifest manifest = parser.manifest(root);
        if (!parser.violations.isEmpty())
        {
            throw new ManifestException(parser.violations);
        }
        return manifest;
    }

    /**
     * The Java class a srcEntry names. A dotted name ({@code com.example.MainAbility}) is the class itself; an
     * OpenHarmony-style path ({@code ./ets/ServiceExtAbility/ServiceExtAbility.ts}) names the class at that path
     * below the source root, whose first folder ({@code ets}, {@code java}, ...) is dropped with the extension:
     * {@code ServiceExtAbility.ServiceExtAbility}.
     *
     * @param srcEntry the manifest's value.
     * @return the binary class name, or null when it names none.
     */
    public static String entryClass(final String srcEntry)
    {
        String path = srcEntry;
        if (path.indexOf('/') >= 0)
        {
            if (path.startsWith("./"))
            {
                path = path.substring(2);
            }
            final int root = path.indexOf('/');
            if (root <= 0)
            {
                return null;
            }
            path = path.substring(root + 1);
            final int dot = path.lastIndexOf('.');
            if (dot > path.lastIndexOf('/'))
            {
                path = path.substring(0, dot);
            }
            path = path.replace('/', '.');
        }
        return JAVA_CLASS.matcher(path).matches() ? path : null;
    }

    private ModuleManifest manifest(final JsonNode root)
    {
        if (!root.isObject())
        {
            violations.add(FILE_NAME + ": the top level must be an object with \"app\" and \"module\"");
            return null;
        }
        final JsonNode appNode = object(root, "app", "app");
        final JsonNode moduleNode = object(root, "module", "module");
        final ModuleManifest.App app = null == appNode ? null : app(appNode);
        final ModuleManifest.Module module = null == moduleNode ? null : module(moduleNode);
        return new ModuleManifest(app, module);
    }

    private ModuleManifest.App app(final JsonNode node)
    {
        final String bundleName = string(node, "bundleName", "app.bundleName", true, BUNDLE_NAME_MIN, NAME_MAX);
        if (null != bundleName && bytes(bundleName) >= BUNDLE_NAME_MIN && bytes(bundleName) <= NAME_MAX
            && !BUNDLE_NAME.matcher(bundleName).matches())
        {
            violations.add(FILE_NAME + ": app.bundleName \"" + bundleName + "\": must be a reverse domain name of "
                + "letters, digits and '_' starting with a letter, with at least one '.' (e.g. com.example.app)");
        }
        final int versionCode = integer(node, "versionCode", "app.versionCode");
        return new ModuleManifest.App(bundleName, versionCode,
            string(node, "versionName", "app.versionName", true, 1, NAME_MAX),
            orEmpty(string(node, "appIdentifier", "app.appIdentifier", false, 1, NAME_MAX)),
            orEmpty(string(node, "vendor", "app.vendor", false, 0, TEXT_MAX)),
            orEmpty(string(node, "label", "app.label", false, 0, TEXT_MAX)),
            orEmpty(string(node, "description", "app.description", false, 0, TEXT_MAX)));
    }

    private ModuleManifest.Module module(final JsonNode node)
    {
        final String name = string(node, "name", "module.name", true, 1, MODULE_NAME_MAX);
        final String type = string(node, "type", "module.type", true, 1, NAME_MAX);
        if (null != type && !MODULE_TYPES.contains(type))
        {
            violations.add(FILE_NAME + ": module.type \"" + type + "\": must be one of " + sorted(MODULE_TYPES));
        }
        final String mainElement = orEmpty(string(node, "mainElement", "module.mainElement", false, 1, NAME_MAX));
        final List<ModuleManifest.Ability> abilities = new ArrayList<>();
        final List<ModuleManifest.Extension> extensions = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        final JsonNode abilityArray = array(node, "abilities", "module.abilities");
        for (int i = 0; null != abilityArray && i < abilityArray.size(); i++)
        {
            final String path = "module.abilities[" + i + "]";
            final JsonNode entry = abilityArray.get(i);
            if (!entry.isObject())
            {
                violations.add(FILE_NAME + ": " + path + ": must be an object");
                continue;
            }
            final String abilityName = uniqueName(entry, path, names);
            final String srcEntry = srcEntry(entry, path);
            final String launchType = string(entry, "launchType", path + ".launchType", false, 1, NAME_MAX);
            if (null != launchType && !LAUNCH_TYPES.contains(launchType))
            {
                violations.add(FILE_NAME + ": " + path + ".launchType \"" + launchType + "\": must be one of "
                    + sorted(LAUNCH_TYPES));
            }
            abilities.add(new ModuleManifest.Ability(abilityName, srcEntry, null == srcEntry ? null
                : entryClass(srcEntry), orEmpty(string(entry, "description", path + ".description", false, 0,
                TEXT_MAX)), orEmpty(string(entry, "label", path + ".label", false, 0, TEXT_MAX)),
                bool(entry, "exported", path + ".exported"), null == launchType ? "singleton" : launchType,
                strings(entry, "permissions", path + ".permissions", TEXT_MAX)));
        }
        final JsonNode extensionArray = array(node, "extensionAbilities", "module.extensionAbilities");
        for (int i = 0; null != extensionArray && i < extensionArray.size(); i++)
        {
            final String path = "module.extensionAbilities[" + i + "]";
            final JsonNode entry = extensionArray.get(i);
            if (!entry.isObject())
            {
                violations.add(FILE_NAME + ": " + path + ": must be an object");
                continue;
            }
            final String extensionName = uniqueName(entry, path, names);
            final String srcEntry = srcEntry(entry, path);
            final String extensionType = string(entry, "type", path + ".type", true, 1, NAME_MAX);
            if (null != extensionType && !EXTENSION_TYPES.contains(extensionType))
            {
                violations.add(FILE_NAME + ": " + path + ".type \"" + extensionType + "\": must be one of "
                    + sorted(EXTENSION_TYPES));
            }
            final List<String> allowList = strings(entry, "appIdentifierAllowList", path + ".appIdentifierAllowList",
                NAME_MAX);
            if (!allowList.isEmpty() && !"appService".equals(extensionType))
            {
                violations.add(FILE_NAME + ": " + path + ".appIdentifierAllowList: valid only for type "
                    + "\"appService\", not \"" + extensionType + "\"");
            }
            extensions.add(new ModuleManifest.Extension(extensionName, srcEntry, null == srcEntry ? null
                : entryClass(srcEntry), extensionType,
                orEmpty(string(entry, "description", path + ".description", false, 0, TEXT_MAX)),
                orEmpty(string(entry, "label", path + ".label", false, 0, TEXT_MAX)),
                bool(entry, "exported", path + ".exported"), strings(entry, "permissions", path + ".permissions",
                TEXT_MAX), allowList));
        }
        if (!mainElement.isEmpty() && abilities.stream().noneMatch(a -> mainElement.equals(a.name())))
        {
            violations.add(FILE_NAME + ": module.mainElement \"" + mainElement + "\": names no ability of "
                + "module.abilities");
        }
        final List<ModuleManifest.PermissionRequest> permissions = new ArrayList<>();
        final Set<String> requested = new HashSet<>();
        final JsonNode permissionArray = array(node, "requestPermissions", "module.requestPermissions");
        for (int i = 0; null != permissionArray && i < permissionArray.size(); i++)
        {
            final String path = "module.requestPermissions[" + i + "]";
            final JsonNode entry = permissionArray.get(i);
            if (!entry.isObject())
            {
                violations.add(FILE_NAME + ": " + path + ": must be an object with \"name\"");
                continue;
            }
            final String permission = string(entry, "name", path + ".name", true, 1, TEXT_MAX);
            if (null != permission && !requested.add(permission))
            {
                violations.add(FILE_NAME + ": " + path + ".name \"" + permission + "\": requested twice");
            }
            permissions.add(new ModuleManifest.PermissionRequest(permission,
                orEmpty(string(entry, "reason", path + ".reason", false, 0, TEXT_MAX))));
        }
        return new ModuleManifest.Module(name, type,
            orEmpty(string(node, "description", "module.description", false, 0, TEXT_MAX)), mainElement,
            strings(node, "deviceTypes", "module.deviceTypes", NAME_MAX), List.copyOf(abilities),
            List.copyOf(extensions), List.copyOf(permissions));
    }

    private String uniqueName(final JsonNode entry, final String path, final Set<String> names)
    {
        final String name = string(entry, "name", path + ".name", true, 1, NAME_MAX);
        if (null != name && !names.add(name))
        {
            violations.add(FILE_NAME + ": " + path + ".name \"" + name + "\": another ability or extension ability "
                + "of the bundle has this name (names are unique in a bundle)");
        }
        return name;
    }

    private String srcEntry(final JsonNode entry, final String path)
    {
        final String srcEntry = string(entry, "srcEntry", path + ".srcEntry", true, 1, NAME_MAX);
        if (null != srcEntry && bytes(srcEntry) <= NAME_MAX && null == entryClass(srcEntry))
        {
            violations.add(FILE_NAME + ": " + path + ".srcEntry \"" + srcEntry + "\": names no Java class (a class "
                + "name such as com.example.MainAbility, or a path such as ./java/com/example/MainAbility.java)");
        }
        return srcEntry;
    }

    private JsonNode object(final JsonNode node, final String key, final String path)
    {
        final JsonNode value = node.get(key);
        if (null == value)
        {
            violations.add(FILE_NAME + ": " + path + ": missing (required)");
            return null;
        }
        if (!value.isObject())
        {
            violations.add(FILE_NAME + ": " + path + ": must be an object");
            return null;
        }
        return value;
    }

    private JsonNode array(final JsonNode node, final String key, final String path)
    {
        final JsonNode value = node.get(key);
        if (null == value)
        {
            return null;
        }
        if (!value.isArray())
        {
            violations.add(FILE_NAME + ": " + path + ": must be an array");
            return null;
        }
        if (value.size() > MAX_ENTRIES)
        {
            violations.add(FILE_NAME + ": " + path + ": " + value.size() + " entries, limit " + MAX_ENTRIES);
            return null;
        }
        return value;
    }

    private String string(final JsonNode node, final String key, final String path, final boolean required,
        final int min, final int max)
    {
        final JsonNode value = node.get(key);
        if (null == value || value.isNull())
        {
            if (required)
            {
                violations.add(FILE_NAME + ": " + path + ": missing (required)");
            }
            return null;
        }
        if (!value.isTextual())
        {
            violations.add(FILE_NAME + ": " + path + ": must be a string");
            return null;
        }
        final String text = value.textValue();
        final int length = bytes(text);
        if (length > max)
        {
            violations.add(FILE_NAME + ": " + path + ": " + length + " bytes, limit " + max);
        }
        else if (length < min)
        {
            violations.add(FILE_NAME + ": " + path + ": " + length + " bytes, at least " + min);
        }
        else if (text.indexOf('\0') >= 0)
        {
            violations.add(FILE_NAME + ": " + path + ": contains a NUL character");
        }
        return text;
    }

    private int integer(final JsonNode node, final String key, final String path)
    {
        final JsonNode value = node.get(key);
        if (null == value)
        {
            violations.add(FILE_NAME + ": " + path + ": missing (required)");
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0
            || value.longValue() > Integer.MAX_VALUE)
        {
            violations.add(FILE_NAME + ": " + path + ": " + value + ", must be an integer 0.." + Integer.MAX_VALUE);
            return 0;
        }
        return value.intValue();
    }

    private boolean bool(final JsonNode node, final String key, final String path)
    {
        final JsonNode value = node.get(key);
        if (null == value)
        {
            return false;
        }
        if (!value.isBoolean())
        {
            violations.add(FILE_NAME + ": " + path + ": must be true or false");
            return false;
        }
        return value.booleanValue();
    }

    private List<String> strings(final JsonNode node, final String key, final String path, final int max)
    {
        final JsonNode value = array(node, key, path);
        final List<String> result = new ArrayList<>();
        for (int i = 0; null != value && i < value.size(); i++)
        {
            final JsonNode item = value.get(i);
            if (!item.isTextual())
            {
                violations.add(FILE_NAME + ": " + path + "[" + i + "]: must be a string");
                continue;
            }
            final int length = bytes(item.textValue());
            if (length > max)
            {
                violations.add(FILE_NAME + ": " + path + "[" + i + "]: " + length + " bytes, limit " + max);
            }
            else if (0 == length)
            {
                violations.add(FILE_NAME + ": " + path + "[" + i + "]: empty");
            }
            result.add(item.textValue());
        }
        return List.copyOf(result);
    }

    private static int bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String orEmpty(final String text)
    {
        return null == text ? "" : text;
    }

    private static String sorted(final Set<String> values)
    {
        return String.join(", ", values.stream().sorted().toList());
    }
}
