package io.harmonia.samgr.wire;

import java.util.Objects;

/**
 * What a samgr entry is registered under: a system ability id (OpenHarmony's standard samgr), a samgr_lite service
 * with an optional feature, or (for subscriptions and dumps) every entry. Built through the factories, which check
 * the limits the wire enforces.
 *
 * @param kind      {@link SamgrProtocol#KIND_ALL}, {@link SamgrProtocol#KIND_ABILITY} or
 *                  {@link SamgrProtocol#KIND_FEATURE}.
 * @param abilityId the system ability id (KIND_ABILITY), else 0.
 * @param service   the service name (KIND_FEATURE), else null.
 * @param feature   the feature name, or null for the service's default API (and for the other kinds).
 */
public record SamgrKey(int kind, int abilityId, String service, String feature)
{
    private static final SamgrKey ALL = new SamgrKey(SamgrProtocol.KIND_ALL, 0, null, null);

    /**
     * Every entry.
     *
     * @return the key.
     */
    public static SamgrKey all()
    {
        return ALL;
    }

    /**
     * A system ability.
     *
     * @param abilityId {@value SamgrProtocol#MIN_ABILITY_ID}..{@value SamgrProtocol#MAX_ABILITY_ID}.
     * @return the key.
     * @throws IllegalArgumentException outside the range.
     */
    public static SamgrKey ability(final int abilityId)
    {
        if (abilityId < SamgrProtocol.MIN_ABILITY_ID || abilityId > SamgrProtocol.MAX_ABILITY_ID)
        {
            throw new IllegalArgumentException("system ability id " + abilityId + " must be "
                + SamgrProtocol.MIN_ABILITY_ID + "..0x" + Integer.toHexString(SamgrProtocol.MAX_ABILITY_ID));
        }
        return new SamgrKey(SamgrProtocol.KIND_ABILITY, abilityId, null, null);
    }

    /**
     * A service's feature, or with a null feature its default API.
     *
     * @param service 1..15 bytes of UTF-8.
     * @param feature 1..15 bytes of UTF-8, or null.
     * @return the key.
     * @throws IllegalArgumentException for a name over the limit.
     */
    public static SamgrKey feature(final String service, final String feature)
    {
        checkName("service name", Objects.requireNonNull(service, "service"));
        if (null != feature)
        {
            checkName("feature name", feature);
        }
        return new SamgrKey(SamgrProtocol.KIND_FEATURE, 0, service, feature);
    }

    /**
     * Parses the text form the tools take: a number is a system ability id, {@code service} a default API and
     * {@code service/feature} a feature.
     *
     * @param text the key.
     * @return the key.
     * @throws IllegalArgumentException when it is none of these or breaks a limit.
     */
    public static SamgrKey parse(final String text)
    {
        Objects.requireNonNull(text, "key");
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit))
        {
            try
            {
                return ability(Integer.parseInt(text));
            }
            catch (final NumberFormatException tooLarge)
            {
                throw new IllegalArgumentException("system ability id " + text + " must be 0..0x"
                    + Integer.toHexString(SamgrProtocol.MAX_ABILITY_ID), tooLarge);
            }
        }
        final int slash = text.indexOf('/');
        return slash < 0 ? feature(text, null) : feature(text.substring(0, slash), text.substring(slash + 1));
    }

    private static void checkName(final String what, final String name)
    {
        final int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > SamgrProtocol.MAX_NAME_BYTES || name.indexOf('\0') >= 0)
        {
            throw new IllegalArgumentException(what + " \"" + name + "\" is " + bytes + " bytes; names must be 1.."
                + SamgrProtocol.MAX_NAME_BYTES + " bytes of UTF-8 without NUL (less than 16 bytes)");
        }
    }

    /** The text form {@link #parse} reads ({@code *} for every entry). */
    @Override
    public String toString()
    {
        return switch (kind)
        {
            case SamgrProtocol.KIND_ABILITY -> Integer.toString(abilityId);
            case SamgrProtocol.KIND_FEATURE -> null == feature ? service : service + "/" + feature;
            default -> "*";
        };
    }
}
