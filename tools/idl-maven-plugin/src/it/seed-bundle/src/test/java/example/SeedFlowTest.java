package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.harmonia.rpc.IRemoteObject;
import ohos.IIdlServiceExt;
import ohos.IdlServiceExtProxy;

/** The seed's client flow against the service, through the proxy the plugin generated. */
class SeedFlowTest
{
    @Test
    void theGeneratedSourcesAreWhereThePluginPutsThem()
    {
        final Path generated = Path.of(System.getProperty("basedir", "."), "target/generated-sources/idl/ohos");
        for (final String name : List.of("IIdlServiceExt.java", "IdlServiceExtProxy.java", "IdlServiceExtStub.java"))
        {
            assertTrue(Files.isRegularFile(generated.resolve(name)), name);
        }
        assertEquals(1, IIdlServiceExt.COMMAND_PROCESS_DATA);
        assertEquals(2, IIdlServiceExt.COMMAND_INSERT_DATA_TO_MAP);
    }

    @Test
    void processDataAndInsertDataToMapAnswerAsInTheSeed()
    {
        final ServiceExtImpl service = new ServiceExtImpl("ExtImpl");
        final IRemoteObject remote = service; // what onConnect hands to the client
        final IdlServiceExtProxy serviceExtProxy = new IdlServiceExtProxy(remote);
        final List<String> log = new CopyOnWriteArrayList<>();
        serviceExtProxy.processData(1, (errorCode, retVal) ->
            log.add("processData, errorCode: " + errorCode + ", retVal: " + retVal));
        serviceExtProxy.insertDataToMap("theKey", 1, errorCode -> log.add("insertDataToMap, errorCode: " + errorCode));
        assertEquals(List.of("processData, errorCode: 0, retVal: 2", "insertDataToMap, errorCode: 0"), log);
        assertEquals(1, service.valueOf("theKey"));
        assertEquals(2, serviceExtProxy.processData(1));
    }
}
