package io.harmonia.foundation;

import java.io.IOException;

import io.harmonia.ability.FoundationServices;
import io.harmonia.foundation.ability.AbilityManagerService;
import io.harmonia.foundation.ability.AbilityManagerStub;
import io.harmonia.foundation.access.AccessTokenManagerService;
import io.harmonia.foundation.access.AccessTokenManagerStub;
import io.harmonia.foundation.bundle.BundleManagerService;
import io.harmonia.foundation.bundle.BundleManagerStub;
import io.harmonia.foundation.launch.AppEnvironment;
import io.harmonia.foundation.launch.AppPlatform;

/**
 * The foundation process's services, wired: the app platform staged, the bundle manager opened (recovering from an
 * interrupted change), the ability manager connected to appspawn (killing app processes a dead foundation left),
 * the access token manager on the bundle database; all three published at their addresses and, when a samgr server is
 * configured, registered there. {@link #close()} withdraws and unpublishes them and stops every app process.
 */
public final class Foundation implements AutoCloseable
{
    private final BundleManagerService bundles;
    private final AbilityManagerService abilities;
    private final ServicePublisher publisher;

    private Foundation(final BundleManagerService bundles, final AbilityManagerService abilities,
        final ServicePublisher publisher)
    {
        this.bundles = bundles;
        this.abilities = abilities;
        this.publisher = publisher;
    }

    /**
     * Starts the services.
     *
     * @param config the configuration.
     * @return the running foundation.
     * @throws IOException when the state folder cannot be read or repaired, the platform not staged, or the
     *                     configured samgr server does not answer or refuses the services.
     */
    public static Foundation start(final FoundationConfig config) throws IOException
    {
        final StateLayout layout = new StateLayout(config.stateDir());
        final ServicePublisher publisher = new ServicePublisher(config.instance());
        final AppPlatform platform = AppPlatform.stage(layout.platform(), config.appClassPath(), config.java());
        final BundleManagerService bundles = BundleManagerService.open(layout, config.installList(), platform,
            new AppEnvironment(publisher.address(FoundationServices.ABILITY_MANAGER), config.instance(),
                config.tokenDir()), config.aotCache());
        final AbilityManagerService abilities = new AbilityManagerService(bundles, config.appspawnSocket(),
            config.deviceType());
        bundles.addListener(abilities);
        abilities.killOrphans();
        try
        {
            publisher.publish(FoundationServices.BUNDLE_MANAGER, new BundleManagerStub(bundles));
            publisher.publish(FoundationServices.ABILITY_MANAGER, new AbilityManagerStub(abilities));
            publisher.publish(FoundationServices.ACCESS_TOKEN_MANAGER,
                new AccessTokenManagerStub(new AccessTokenManagerService(bundles)));
            if (null != config.samgrAddress())
            {
                publisher.register(config.samgrAddress());
            }
        }
        catch (final IOException | RuntimeException failed)
        {
            publisher.close();
            abilities.close();
            throw failed;
        }
        return new Foundation(bundles, abilities, publisher);
    }

    /**
     * The bundle manager.
     *
     * @return it.
     */
    public BundleManagerService bundles()
    {
        return bundles;
    }

    /**
     * The ability manager.
     *
     * @return it.
     */
    public AbilityManagerService abilities()
    {
        return abilities;
    }

    @Override
    public void close()
    {
        publisher.close();
        abilities.close();
    }
}
