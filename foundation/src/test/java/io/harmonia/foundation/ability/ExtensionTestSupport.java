package io.harmonia.foundation.ability;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@link ExtensionFixture} per test class (appspawn and foundation start once), and a clean slate after each
 * test: no forced timeout, every seed bundle's process stopped, its log emptied, no extension record left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExtensionTestSupport
{
    /** Every bundle the fixture installs. */
    private static final List<String> BUNDLES = List.of(ExtensionFixture.SERVICE_BUNDLE,
        ExtensionFixture.APP_SERVICE_BUNDLE, ExtensionFixture.CONNECT_EXT_APP, ExtensionFixture.LISTED,
        ExtensionFixture.STRANGER);

    /** The fixture of the class's tests. */
    ExtensionFixture fixture;

    /**
     * The name of the class's foundation instance.
     *
     * @return a short name.
     */
    abstract String instanceName();

    @BeforeAll
    final void startFixture() throws IOException
    {
        fixture = ExtensionFixture.start(instanceName(), "2in1");
    }

    @AfterAll
    final void closeFixture() throws IOException
    {
        if (null != fixture)
        {
            fixture.close();
        }
    }

    @AfterEach
    final void resetFixture() throws IOException, InterruptedException
    {
        if (null == fixture)
        {
            return;
        }
        fixture.ams.forceTimeout("clean", "");
        for (final String bundle : BUNDLES)
        {
            fixture.ams.forceStop(bundle);
            fixture.clearEvents(bundle);
        }
        fixture.awaitNoRecords();
    }
}
