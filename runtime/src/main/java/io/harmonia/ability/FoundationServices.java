package io.harmonia.ability;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.RemoteCallException;

/**
 * Where the system services of foundation (the ability manager, the bundle manager) are published, until they are
 * registered in samgr: one abstract AF_UNIX address per service, {@code @harmonia.<instance>.<service>}. The
 * instance name separates several foundations on one machine (tests run their own); the default is
 * {@value #DEFAULT_INSTANCE}, changed with the system property {@value #INSTANCE_PROPERTY} or the environment
 * variable {@value #INSTANCE_ENV}.
 *
 * <p>An abstract address has no file and no permission bits: anyone may connect, and each service checks the
 * caller's kernel identity per request.
 */
public final class FoundationServices
{
    /** The instance name when none is configured. */
    public static final String DEFAULT_INSTANCE = "foundation";
    /** System property naming the instance. */
    public static final String INSTANCE_PROPERTY = "harmonia.foundation";
    /** Environment variable naming the instance (the property wins). */
    public static final String INSTANCE_ENV = "HARMONIA_FOUNDATION";
    /** The ability manager's service name. */
    public static final String ABILITY_MANAGER = "ams";
    /** The bundle manager's service name. */
    public static final String BUNDLE_MANAGER = "bms";
    /** The access token manager's service name (permission checks). */
    public static final String ACCESS_TOKEN_MANAGER = "atm";
    /** The longest instance name (an abstract address holds at most 107 bytes). */
    public static final int MAX_INSTANCE_LENGTH = 64;

    private FoundationServices()
    {
    }

    /**
     * The configured instance name.
     *
     * @return the property, else the environment variable, else {@value #DEFAULT_INSTANCE}.
     */
    public static String instance()
    {
        final String property = System.getProperty(INSTANCE_PROPERTY);
        if (null != property && !property.isEmpty())
        {
            return property;
        }
        final String env = System.getenv(INSTANCE_ENV);
        return null != env && !env.isEmpty() ? env : DEFAULT_INSTANCE;
    }

    /** How long a connect to a service's address waits for its answer. */
    public static final long CONNECT_MILLIS = 5_000;

    /**
     * Connects to a service object published at an address.
     *
     * @param address the address.
     * @param what    the service, for the message ("the bundle manager").
     * @return the service's object.
     * @throws ServiceException {@link ServiceException#UNREACHABLE} when nothing answers there.
     */
    public static IRemoteObject connect(final String address, final String what)
    {
        try
        {
            return IPCSkeleton.connect(address, CONNECT_MILLIS);
        }
        catch (final RemoteCallException unreachable)
        {
            throw new ServiceException(ServiceException.UNREACHABLE, what + " at " + address + " cannot be reached: "
                + unreachable.getMessage(), unreachable);
        }
    }

    /**
     * The address of a service of an instance.
     *
     * @param instance the instance: 1..64 characters of [A-Za-z0-9._-].
     * @param service  {@link #ABILITY_MANAGER}, {@link #BUNDLE_MANAGER} or {@link #ACCESS_TOKEN_MANAGER}.
     * @return the abstract address.
     * @throws IllegalArgumentException for a malformed instance name.
     */
    public static String address(final String instance, final String service)
    {
        if (null == instance || instance.isEmpty() || instance.length() > MAX_INSTANCE_LENGTH
            || !instance.matches("[A-Za-z0-9._-]+"))
        {
            throw new IllegalArgumentException("foundation instance '" + instance + "': must be 1.."
                + MAX_INSTANCE_LENGTH + " characters of A-Z, a-z, 0-9, '.', '_', '-'");
        }
        return "@harmonia." + instance + "." + service;
    }
}
