package io.harmonia.ability;

import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.samgr.SamgrException;
import io.harmonia.samgr.client.SamgrClient;
import io.harmonia.samgr.wire.SamgrProtocol;

/**
 * Where the system services of foundation (the ability manager, the bundle manager, the access token manager) are
 * found. Each is published at an abstract AF_UNIX address of its own, {@code @harmonia.<instance>.<service>}; the
 * instance name separates several foundations on one machine (tests run their own); the default is
 * {@value #DEFAULT_INSTANCE}, changed with the system property {@value #INSTANCE_PROPERTY} or the environment
 * variable {@value #INSTANCE_ENV}. The foundation that samgr serves also registers them there under OpenHarmony's
 * system ability ids ({@link #systemAbilityId}).
 *
 * <p><b>Lookup rule</b> ({@link #find}): for the default instance, samgr first (at
 * {@link SamgrProtocol#configuredAddress()}), then the service's address when samgr is not there or has no entry;
 * a named instance goes straight to its address, since only one foundation on a machine owns the ids.
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
    /** OpenHarmony's ABILITY_MGR_SERVICE_ID: the ability manager in samgr. */
    public static final int ABILITY_MGR_SERVICE_ID = 180;
    /** OpenHarmony's BUNDLE_MGR_SERVICE_SYS_ABILITY_ID: the bundle manager in samgr. */
    public static final int BUNDLE_MGR_SERVICE_SYS_ABILITY_ID = 401;
    /** OpenHarmony's ACCESS_TOKEN_MANAGER_SERVICE_ID: the access token manager in samgr. */
    public static final int ACCESS_TOKEN_MANAGER_SERVICE_ID = 3503;
    /** How long a lookup waits for samgr before falling back to the service's address. */
    public static final long SAMGR_CONNECT_MILLIS = 1_000;
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
     * The system ability id a service is registered under in samgr.
     *
     * @param service {@link #ABILITY_MANAGER}, {@link #BUNDLE_MANAGER} or {@link #ACCESS_TOKEN_MANAGER}.
     * @return OpenHarmony's id for it.
     * @throws IllegalArgumentException for another name.
     */
    public static int systemAbilityId(final String service)
    {
        return switch (service)
        {
            case ABILITY_MANAGER -> ABILITY_MGR_SERVICE_ID;
            case BUNDLE_MANAGER -> BUNDLE_MGR_SERVICE_SYS_ABILITY_ID;
            case ACCESS_TOKEN_MANAGER -> ACCESS_TOKEN_MANAGER_SERVICE_ID;
            default -> throw new IllegalArgumentException("service '" + service + "': must be "
                + ABILITY_MANAGER + ", " + BUNDLE_MANAGER + " or " + ACCESS_TOKEN_MANAGER);
        };
    }

    /**
     * Connects to a service of a foundation instance by the lookup rule (the class comment): samgr first for the
     * default instance, else (and when samgr does not have it) the service's address.
     *
     * @param instance the instance.
     * @param service  {@link #ABILITY_MANAGER}, {@link #BUNDLE_MANAGER} or {@link #ACCESS_TOKEN_MANAGER}.
     * @return the service's object.
     * @throws ServiceException {@link ServiceException#UNREACHABLE} when neither answers.
     */
    public static IRemoteObject find(final String instance, final String service)
    {
        final String address = address(instance, service);
        if (DEFAULT_INSTANCE.equals(instance))
        {
            final IRemoteObject registered = lookUp(SamgrProtocol.configuredAddress(), service);
            if (null != registered)
            {
                return registered;
            }
        }
        return connect(address, describe(service));
    }

    /**
     * Looks a service up in a samgr server by its system ability id.
     *
     * @param samgrAddress the server's address.
     * @param service      {@link #ABILITY_MANAGER}, {@link #BUNDLE_MANAGER} or {@link #ACCESS_TOKEN_MANAGER}.
     * @return the registered object, or null when no server answers there, it has no entry for the id, or its
     *         policy keeps this uid out (the caller falls back to the service's address).
     */
    public static IRemoteObject lookUp(final String samgrAddress, final String service)
    {
        final int id = systemAbilityId(service);
        try
        {
            return SamgrClient.connect(samgrAddress, SAMGR_CONNECT_MILLIS).checkSystemAbility(id);
        }
        catch (final SamgrException notThere)
        {
            return null;
        }
    }

    private static String describe(final String service)
    {
        return switch (service)
        {
            case ABILITY_MANAGER -> "the ability manager";
            case BUNDLE_MANAGER -> "the bundle manager";
            default -> "the access token manager";
        };
    }

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
