package io.harmonia.tools.demo.example;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.Feature;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.IUnknownEntry;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.Service;
import io.harmonia.samgr.TaskConfig;
import io.harmonia.samgr.TaskType;
import io.harmonia.samgr.endpoint.SamgrEndpoint;

/**
 * The provider process of the samgr_lite README's example: registers the {@code example} service (whose default API
 * has no Invoke, as the README's "Create a service object" has {@code .Invoke = NULL}) with the feature
 * {@code exampleFeature} and its {@link DemoFeatureApi}, calls {@code SAMGR_Bootstrap}, and prints
 * {@code ready <pid>} once the samgr server has both. Then "received" on stdin prints the texts AsyncCall got, and
 * end of input ends the process. Usage: {@code ExampleProviderMain <samgr server address>}.
 */
public final class ExampleProviderMain
{
    private ExampleProviderMain()
    {
    }

    /** The README's service config: {@code {LEVEL_HIGH, PRI_BELOW_NORMAL, 0x800, 20, SHARED_TASK}}. */
    private static final TaskConfig EXAMPLE_TASK = new TaskConfig(TaskConfig.LEVEL_HIGH, TaskConfig.PRI_BELOW_NORMAL,
        0x800, 20, TaskType.SHARED_TASK);

    /** The service's default API: exportable (0xA0) but without Invoke, so each call is answered EC_NOHANDLER. */
    private static final class NoInvokeApi extends IUnknownEntry
    {
        NoInvokeApi()
        {
            super(IUnknown.SERVER_IMPL_PROXY_VERSION);
        }
    }

    /**
     * Entry point.
     *
     * @param args the samgr server's address.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Samgr samgr = Samgr.getInstance();
        final SamgrEndpoint endpoint = SamgrEndpoint.attach(samgr, args[0]);
        final DemoFeatureApi api = new DemoFeatureApi();
        samgr.registerService(Service.named(DemoApi.EXAMPLE_SERVICE, EXAMPLE_TASK));
        samgr.registerFeature(DemoApi.EXAMPLE_SERVICE, Feature.named(DemoApi.EXAMPLE_FEATURE));
        samgr.registerDefaultFeatureApi(DemoApi.EXAMPLE_SERVICE, new NoInvokeApi());
        samgr.registerFeatureApi(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE, api);
        samgr.bootstrap();
        final ErrorCode feature = endpoint.awaitExported(DemoApi.EXAMPLE_SERVICE, DemoApi.EXAMPLE_FEATURE, 10_000);
        final ErrorCode service = endpoint.awaitExported(DemoApi.EXAMPLE_SERVICE, null, 10_000);
        if (ErrorCode.EC_SUCCESS != feature || ErrorCode.EC_SUCCESS != service)
        {
            System.out.println("failed feature " + feature + ", service " + service);
            System.exit(1);
        }
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); null != line; line = in.readLine())
        {
            System.out.println("received".equals(line) ? String.join("|", api.received()) : "unknown " + line);
            System.out.flush();
        }
        endpoint.close();
    }
}
