package io.harmonia.foundation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harmonia.ability.FoundationServices;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.Publication;
import io.harmonia.rpc.RemoteObject;

/**
 * Makes foundation's services reachable: each is published at its well-known address
 * ({@link FoundationServices#address}), where clients of a named instance connect with {@link IPCSkeleton#connect},
 * and, when foundation is configured with a samgr server, registered there under its system ability id
 * (OpenHarmony's ABILITY_MGR_SERVICE_ID 180, BUNDLE_MGR_SERVICE_SYS_ABILITY_ID 401, ACCESS_TOKEN_MANAGER_SERVICE_ID
 * 3503), where clients of the default instance look first ({@link SamgrRegistration}).
 */
final class ServicePublisher implements AutoCloseable
{
    private final String instance;
    private final List<Publication> publications = new ArrayList<>();
    private final Map<Integer, IRemoteObject> published = new LinkedHashMap<>();
    private SamgrRegistration registration;

    ServicePublisher(final String instance)
    {
        this.instance = instance;
    }

    /** Publishes a service object under its name. */
    String publish(final String service, final RemoteObject object)
    {
        final Publication publication = IPCSkeleton.publish(FoundationServices.address(instance, service), object);
        publications.add(publication);
        published.put(FoundationServices.systemAbilityId(service), object);
        return publication.address();
    }

    /** The address a service is (or will be) published at. */
    String address(final String service)
    {
        return FoundationServices.address(instance, service);
    }

    /**
     * Registers every published service in a samgr server (see {@link SamgrRegistration} for the waiting and the
     * failures).
     *
     * @param samgrAddress the server's address.
     * @throws IOException when no server answered in time, or it refused an entry.
     */
    void register(final String samgrAddress) throws IOException
    {
        registration = SamgrRegistration.register(samgrAddress, published,
            SamgrRegistration.START_WAIT_MILLIS);
    }

    @Override
    public void close()
    {
        if (null != registration)
        {
            registration.close();
            registration = null;
        }
        publications.forEach(Publication::close);
        publications.clear();
    }
}
