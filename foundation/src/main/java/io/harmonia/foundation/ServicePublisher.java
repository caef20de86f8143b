package io.harmonia.foundation;

import java.util.ArrayList;
import java.util.List;

import io.harmonia.ability.FoundationServices;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.Publication;
import io.harmonia.rpc.RemoteObject;

/**
 * Makes foundation's services reachable: today each is published at its well-known address
 * ({@link FoundationServices#address}), where clients connect with {@link IPCSkeleton#connect}. This is the one place
 * that changes when the samgr server takes over: register each object in samgr under its system ability id
 * (OpenHarmony's BUNDLE_MGR_SERVICE_SYS_ABILITY_ID 401, ABILITY_MGR_SERVICE_ID 180) instead, and let the clients in
 * io.harmonia.ability / io.harmonia.bundle look them up there.
 */
final class ServicePublisher implements AutoCloseable
{
    private final String instance;
    private final List<Publication> publications = new ArrayList<>();

    ServicePublisher(final String instance)
    {
        this.instance = instance;
    }

    /** Publishes a service object under its name. */
    String publish(final String service, final RemoteObject object)
    {
        final Publication publication = IPCSkeleton.publish(FoundationServices.address(instance, service), object);
        publications.add(publication);
        return publication.address();
    }

    /** The address a service is (or will be) published at. */
    String address(final String service)
    {
        return FoundationServices.address(instance, service);
    }

    @Override
    public void close()
    {
        publications.forEach(Publication::close);
        publications.clear();
    }
}
