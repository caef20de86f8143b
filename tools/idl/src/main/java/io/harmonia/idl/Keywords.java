package io.harmonia.idl;

import java.util.Map;
import java.util.Set;

/**
 * The words of OpenHarmony's IDL (ability_idl_tool's lexer): none may name a method, parameter or interface.
 * Those of constructs Harmonia does not support map to the reason given when one is used.
 */
final class Keywords
{
    /** Supported words. */
    private static final Set<String> SUPPORTED = Set.of(
        "void", "boolean", "byte", "short", "int", "long", "float", "double", "String", "List", "Map",
        "package", "sequenceable", "interface", "oneway", "callback", "in", "out", "inout");

    /** Top-level statements Harmonia refuses. */
    static final Map<String, String> REFUSED_STATEMENTS = Map.ofEntries(
        Map.entry("import", "importing other IDL files"),
        Map.entry("enum", "custom types (enum, struct, union)"),
        Map.entry("struct", "custom types (enum, struct, union)"),
        Map.entry("union", "custom types (enum, struct, union)"),
        Map.entry("rawdata", "rawdata declarations (C++ only)"),
        Map.entry("option_stub_hooks", "C++ generator options"),
        Map.entry("option_parcel_hooks", "C++ generator options"),
        Map.entry("option_macro_hilog", "C++ generator options"),
        Map.entry("option_using_hooks", "C++ generator options"),
        Map.entry("interface_token", "custom interface tokens (the token is the qualified interface name)"),
        Map.entry("support_delegator", "delegators (C++ only)"));

    /** Types Harmonia refuses. */
    static final Map<String, String> REFUSED_TYPES = Map.ofEntries(
        Map.entry("char", "char (C++ only in OpenHarmony; use byte, short or String)"),
        Map.entry("unsigned", "unsigned types (C++ only)"),
        Map.entry("CString", "CString (C++ only; use String)"),
        Map.entry("String16", "String16 (C++ only; String is already UTF-16)"),
        Map.entry("U16string", "U16string (C++ only; String is already UTF-16)"),
        Map.entry("FileDescriptor", "file descriptors"),
        Map.entry("FileDescriptorSan", "file descriptors"),
        Map.entry("Ashmem", "shared memory (Ashmem)"),
        Map.entry("NativeBuffer", "native buffers"),
        Map.entry("Pointer", "pointers"),
        Map.entry("Set", "Set (C++ only)"),
        Map.entry("OrderedMap", "OrderedMap (C++ only)"),
        Map.entry("SharedMemQueue", "shared-memory queues"),
        Map.entry("sharedptr", "smart-pointer types (C++ only)"),
        Map.entry("uniqueptr", "smart-pointer types (C++ only)"),
        Map.entry("sptr", "smart-pointer types (C++ only)"),
        Map.entry("null_sharedptr", "smart-pointer types (C++ only)"),
        Map.entry("null_uniqueptr", "smart-pointer types (C++ only)"),
        Map.entry("null_sptr", "smart-pointer types (C++ only)"));

    /** Attributes Harmonia refuses. */
    static final Map<String, String> REFUSED_ATTRIBUTES = Map.ofEntries(
        Map.entry("cacheable", "caching replies"),
        Map.entry("ipccode", "pinned request codes (codes are 1, 2, 3... in declaration order)"),
        Map.entry("ipcincapacity", "per-method capacities"),
        Map.entry("ipcoutcapacity", "per-method capacities"),
        Map.entry("macrodef", "conditional methods"),
        Map.entry("macrondef", "conditional methods"),
        Map.entry("customMsgOption", "custom message options"),
        Map.entry("freezecontrol", "freeze control"),
        Map.entry("full", "system-type selection (full, lite, mini)"),
        Map.entry("lite", "system-type selection (full, lite, mini)"),
        Map.entry("mini", "system-type selection (full, lite, mini)"));

    private Keywords()
    {
    }

    /**
     * Whether a word is a keyword of OpenHarmony's IDL.
     *
     * @param word a name.
     * @return true when it cannot be used as a name.
     */
    static boolean isKeyword(final String word)
    {
        return SUPPORTED.contains(word) || REFUSED_STATEMENTS.containsKey(word) || REFUSED_TYPES.containsKey(word) ||
            REFUSED_ATTRIBUTES.containsKey(word) || "extends".equals(word);
    }
}
