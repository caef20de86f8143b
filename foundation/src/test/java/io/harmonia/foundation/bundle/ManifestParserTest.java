package io.harmonia.foundation.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** module.json5: the seeds' manifests parse, and every rule gives its exact error. */
class ManifestParserTest
{
    /** A valid manifest with a slot ("%s") for one more field of the first ability (or "" for none). */
    static String manifest(final String app, final String module, final String ability, final String extension)
    {
        return """
            // as OpenHarmony's tools write it: comments and trailing commas
            {
              app: {
                bundleName: 'com.example.myapplication',
                versionCode: 1000000,
                versionName: "1.0.0",
                %s
              },
              "module": {
                "name": "entry",
                "type": "entry",
                %s
                "abilities": [
                  { "name": "EntryAbility", "srcEntry": "com.example.EntryAbility", %s },
                ],
                "extensionAbilities": [
                  {
                    "name": "ServiceExtAbility",
                    "icon": "$media:icon",
                    "description": "service",
                    "type": "service",
                    "exported": true,
                    "srcEntry": "./ets/ServiceExtAbility/ServiceExtAbility.ts",
                    %s
                  },
                ],
              },
            }
            """.formatted(app, module, ability, extension);
    }

    private static ModuleManifest parse(final String text) throws ManifestException
    {
        return ManifestParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(final String text)
    {
        return assertThrows(ManifestException.class, () -> parse(text)).getMessage();
    }

    @Test
    void theSeedsManifestsParseWithTheirCommentsAndTrailingCommas() throws ManifestException
    {
        final ModuleManifest manifest = parse(manifest("appIdentifier: '5765880207854258375',",
            "requestPermissions: [{ name: 'ohos.permission.SUPPORT_APP_SERVICE_EXTENSION', reason: 'seed 000' }],",
            "exported: true", ""));
        assertEquals("com.example.myapplication", manifest.app().bundleName());
        assertEquals(1000000, manifest.app().versionCode());
        assertEquals("5765880207854258375", manifest.app().appIdentifier());
        final ModuleManifest.Extension extension = manifest.module().extensionAbilities().get(0);
        assertEquals("service", extension.type());
        assertTrue(extension.exported());
        assertEquals("ServiceExtAbility.ServiceExtAbility", extension.entryClass());
        assertEquals("com.example.EntryAbility", manifest.module().abilities().get(0).entryClass());
        assertEquals("singleton", manifest.module().abilities().get(0).launchType());
        assertEquals(List.of("com.example.EntryAbility", "ServiceExtAbility.ServiceExtAbility"),
            manifest.module().entryClasses());
    }

    @Test
    void srcEntryPathsAndClassNamesMapToClasses()
    {
        assertEquals("ServiceExtAbility.ServiceExtAbility",
            ManifestParser.entryClass("./ets/ServiceExtAbility/ServiceExtAbility.ts"));
        assertEquals("AppServiceExtAbility.AppServiceExtAbility",
            ManifestParser.entryClass("./ets/AppServiceExtAbility/AppServiceExtAbility.ets"));
        assertEquals("com.example.Main", ManifestParser.entryClass("./java/com/example/Main.java"));
        assertEquals("com.example.Main", ManifestParser.entryClass("com.example.Main"));
        assertNull(ManifestParser.entryClass("./Main.java"));
        assertNull(ManifestParser.entryClass("com..Main"));
        assertNull(ManifestParser.entryClass("1abc"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // app section: the slot is one more field of "app"; a repeated key is a violation of its own
        "bundleName: 'com.x',|app|module.json5 line 7, column 15: malformed JSON5: Duplicate field 'bundleName'",
        "vendor: '%256',|app|module.json5: app.vendor: 256 bytes, limit 255",
        "label: '%256',|app|module.json5: app.label: 256 bytes, limit 255",
        "description: '%256',|app|module.json5: app.description: 256 bytes, limit 255",
        "appIdentifier: '%128',|app|module.json5: app.appIdentifier: 128 bytes, limit 127",
        // module section
        "description: '%256',|module|module.json5: module.description: 256 bytes, limit 255",
        "mainElement: 'Nope',|module|module.json5: module.mainElement \"Nope\": names no ability of module.abilities",
        "requestPermissions: [{ name: '%256' }],|module|module.json5: module.requestPermissions[0].name: 256 bytes, limit 255",
        "requestPermissions: [{ name: 'a.b', reason: '%256' }],|module|module.json5: module.requestPermissions[0].reason: 256 bytes, limit 255",
        "requestPermissions: [{ name: 'a.b' }, { name: 'a.b' }],|module|module.json5: module.requestPermissions[1].name \"a.b\": requested twice",
        "requestPermissions: [{ reason: 'x' }],|module|module.json5: module.requestPermissions[0].name: missing (required)",
        "deviceTypes: 'phone',|module|module.json5: module.deviceTypes: must be an array",
        // the first ability
        "description: '%256'|ability|module.json5: module.abilities[0].description: 256 bytes, limit 255",
        "label: '%256'|ability|module.json5: module.abilities[0].label: 256 bytes, limit 255",
        "permissions: ['%256']|ability|module.json5: module.abilities[0].permissions[0]: 256 bytes, limit 255",
        "permissions: ['']|ability|module.json5: module.abilities[0].permissions[0]: empty",
        "exported: 'yes'|ability|module.json5: module.abilities[0].exported: must be true or false",
        "launchType: 'standard'|ability|module.json5: module.abilities[0].launchType \"standard\": must be one of multiton, singleton, specified",
        // the first extension ability
        "permissions: ['%256'],|extension|module.json5: module.extensionAbilities[0].permissions[0]: 256 bytes, limit 255",
        "appIdentifierAllowList: ['x'],|extension|module.json5: module.extensionAbilities[0].appIdentifierAllowList: valid only for type \"appService\", not \"service\"",
        "label: '%256',|extension|module.json5: module.extensionAbilities[0].label: 256 bytes, limit 255",
    })
    void everyLimitOfAnOptionalFieldGivesItsError(final String field, final String where, final String error)
    {
        final String value = field.replace("%256", "p".repeat(256)).replace("%128", "p".repeat(128));
        final String text = switch (where)
        {
            case "app" -> manifest(value, "", "", "");
            case "module" -> manifest("", value, "", "");
            case "ability" -> manifest("", "", value, "");
            default -> manifest("", "", "", value);
        };
        assertEquals(error, refusal(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "'com.example.myapplication'|'abc.de'|module.json5: app.bundleName: 6 bytes, at least 7",
        "'com.example.myapplication'|'com.%124'|module.json5: app.bundleName: 128 bytes, limit 127",
        "'com.example.myapplication'|'myapplication'|module.json5: app.bundleName \"myapplication\": must be a reverse domain name of letters, digits and '_' starting with a letter, with at least one '.' (e.g. com.example.app)",
        "'com.example.myapplication'|'com..example'|module.json5: app.bundleName \"com..example\": must be a reverse domain name of letters, digits and '_' starting with a letter, with at least one '.' (e.g. com.example.app)",
        "'com.example.myapplication'|42|module.json5: app.bundleName: must be a string",
        "versionCode: 1000000|versionCode: -1|module.json5: app.versionCode: -1, must be an integer 0..2147483647",
        "versionCode: 1000000|versionCode: 2147483648|module.json5: app.versionCode: 2147483648, must be an integer 0..2147483647",
        "versionCode: 1000000|versionCode: 1.5|module.json5: app.versionCode: 1.5, must be an integer 0..2147483647",
        "versionCode: 1000000,|/* none */|module.json5: app.versionCode: missing (required)",
        "versionName: \"1.0.0\"|versionName: '%128'|module.json5: app.versionName: 128 bytes, limit 127",
        "versionName: \"1.0.0\"|versionName: ''|module.json5: app.versionName: 0 bytes, at least 1",
        "\"name\": \"entry\"|\"name\": '%32'|module.json5: module.name: 32 bytes, limit 31",
        "\"type\": \"entry\"|\"type\": \"har\"|module.json5: module.type \"har\": must be one of entry, feature",
        "\"name\": \"EntryAbility\"|\"name\": '%128'|module.json5: module.abilities[0].name: 128 bytes, limit 127",
        "\"srcEntry\": \"com.example.EntryAbility\"|\"srcEntry\": 'a.%126'|module.json5: module.abilities[0].srcEntry: 128 bytes, limit 127",
        "\"srcEntry\": \"com.example.EntryAbility\"|\"srcEntry\": './Main.ts'|module.json5: module.abilities[0].srcEntry \"./Main.ts\": names no Java class (a class name such as com.example.MainAbility, or a path such as ./java/com/example/MainAbility.java)",
        "\"srcEntry\": \"com.example.EntryAbility\"|\"x\": 1|module.json5: module.abilities[0].srcEntry: missing (required)",
        "\"name\": \"ServiceExtAbility\"|\"name\": \"EntryAbility\"|module.json5: module.extensionAbilities[0].name \"EntryAbility\": another ability or extension ability of the bundle has this name (names are unique in a bundle)",
        "\"type\": \"service\"|\"type\": \"daemon\"|module.json5: module.extensionAbilities[0].type \"daemon\": must be one of accessibility, appService, backup, dataShare, driver, embeddedUI, enterpriseAdmin, fileAccess, fileShare, form, inputMethod, preview, print, push, service, staticSubscriber, thumbnail, ui, wallpaper, window, workScheduler",
        "\"description\": \"service\"|\"description\": '%256'|module.json5: module.extensionAbilities[0].description: 256 bytes, limit 255",
        "\"srcEntry\": \"./ets/ServiceExtAbility/ServiceExtAbility.ts\"|\"srcEntry\": './ets/%119.ts'|module.json5: module.extensionAbilities[0].srcEntry: 128 bytes, limit 127",
    })
    void everyLimitOfARequiredFieldGivesItsError(final String original, final String replacement, final String error)
    {
        final String text = manifest("", "", "", "").replaceFirst(java.util.regex.Pattern.quote(original),
            java.util.regex.Matcher.quoteReplacement(replacement.replace("%128", "p".repeat(128))
                .replace("%126", "p".repeat(126)).replace("%124", "p".repeat(124)).replace("%119", "p".repeat(119))
                .replace("%256", "p".repeat(256))
                .replace("%32", "p".repeat(32))));
        assertEquals(error, refusal(text));
    }

    @Test
    void malformedJson5NamesLineAndColumn()
    {
        assertEquals("module.json5 line 3, column 17: malformed JSON5: Unexpected character ('}' (code 125)): "
            + "expected a value", refusal("{\n  app: {\n    bundleName: },\n}"));
        assertEquals("module.json5 line 1, column 40: malformed JSON5: Unexpected end-of-input: expected close "
            + "marker for Object (start marker at line 1, column 8)",
            refusal("{ app: { bundleName: 'com.example.app' "));
        assertEquals("module.json5: the top level must be an object with \"app\" and \"module\"", refusal("[1]"));
        assertEquals("module.json5: app: missing (required); module.json5: module: missing (required)",
            refusal("{}"));
    }

    @Test
    void hostileInputIsBoundedBeforeParsing()
    {
        assertEquals("module.json5: 1048577 bytes, limit 1048576",
            assertThrows(ManifestException.class, () -> ManifestParser.parse(new byte[(1 << 20) + 1])).getMessage());
        final String deep = "[".repeat(40) + "]".repeat(40);
        assertTrue(refusal("{ app: " + deep + " }").contains("Document nesting depth (33) exceeds the maximum "
            + "allowed (32"), refusal("{ app: " + deep + " }"));
    }

    @Test
    void everyViolationIsReportedAtOnce()
    {
        final ManifestException refused = assertThrows(ManifestException.class, () -> parse(
            manifest("", "", "", "").replace("1000000", "-5").replace("\"entry\",\n", "\"x\",\n")));
        assertEquals(List.of("module.json5: app.versionCode: -5, must be an integer 0..2147483647",
            "module.json5: module.type \"x\": must be one of entry, feature"), refused.violations());
    }
}
