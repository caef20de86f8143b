package io.harmonia.samgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.harmonia.samgr.Fixtures.EchoImpl;
import io.harmonia.samgr.Fixtures.RecordingFeature;
import io.harmonia.samgr.Fixtures.RecordingService;
import io.harmonia.samgr.broadcast.Broadcast;

/** The ground of OpenHarmony's ServiceTest: registration rules and limits of services. */
@Timeout(60)
class ServiceTest
{
    private final Samgr samgr = Samgr.create();

    @AfterEach
    void close()
    {
        samgr.close();
    }

    private static RecordingService service(final String name)
    {
        return new RecordingService(name, TaskConfig.shared(TaskConfig.PRI_NORMAL));
    }

    @Test
    void shouldRegisterAndUnregisterAService()
    {
        final int before = samgr.serviceCount();
        final RecordingService service = service("S1");
        samgr.registerService(service);
        assertEquals(before + 1, samgr.serviceCount());
        assertSame(service, samgr.unregisterService("S1"));
        assertEquals(before, samgr.serviceCount());
        assertNull(samgr.unregisterService("S1"), "a second unregister finds nothing");
    }

    @Test
    void shouldHoldSamgrsOwnServicesFromTheStart()
    {
        assertEquals(2, samgr.serviceCount());
        assertNotNull(samgr.getFeatureApi(Broadcast.BROADCAST_SERVICE, Broadcast.PUB_SUB_FEATURE));
        final SamgrException error = assertThrows(SamgrException.class,
            () -> samgr.unregisterService(Samgr.BOOTSTRAP_SERVICE));
        assertEquals(ErrorCode.EC_PERMISSION, error.errorCode());
        assertThrows(SamgrException.class, () -> samgr.unregisterFeatureApi(Broadcast.BROADCAST_SERVICE,
            Broadcast.PUB_SUB_FEATURE));
        assertThrows(SamgrException.class, () -> samgr.registerService(service(Samgr.BOOTSTRAP_SERVICE)));
        assertEquals(2, samgr.serviceCount());
    }

    @Test
    void shouldRejectNullServicesAndNames()
    {
        assertThrows(NullPointerException.class, () -> samgr.registerService(null));
        assertThrows(NullPointerException.class, () -> samgr.registerService(service(null)));
        assertThrows(NullPointerException.class,
            () -> samgr.registerService(new RecordingService("NoConfig", null)));
        assertEquals(2, samgr.serviceCount());
    }

    @Test
    void shouldRejectADuplicateAndKeepTheFirst()
    {
        final RecordingService first = service("Dup");
        samgr.registerService(first);
        final SamgrException error = assertThrows(SamgrException.class, () -> samgr.registerService(service("Dup")));
        assertTrue(error.getMessage().contains("\"Dup\" is already registered"), error.getMessage());
        assertEquals(3, samgr.serviceCount());
        assertSame(first, samgr.unregisterService("Dup"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sixteen_bytes_xx", "a_much_longer_service_name",
        "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})
    void shouldRejectNamesOutsideOneToFifteenBytes(final String name)
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> samgr.registerService(service(name)));
        assertTrue(error.getMessage().contains("1..15 bytes"), error.getMessage());
        assertEquals(2, samgr.serviceCount(), "a refused registration changes nothing");
    }

    @Test
    void shouldAcceptFifteenBytesCountedInUtf8()
    {
        samgr.registerService(service("fifteen_bytes_x"));
        samgr.registerService(service("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9")); // 7 x 2 bytes
        assertEquals(4, samgr.serviceCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "NotThere", "a_name_far_too_long_to_exist"})
    void shouldAnswerNullWhenUnregisteringWhatCannotBeFound(final String name)
    {
        assertNull(samgr.unregisterService(name));
        assertNull(samgr.unregisterService(null));
    }

    @Test
    void shouldRefuseToUnregisterWhileAFeatureRemains()
    {
        samgr.registerService(service("WithFeat"));
        samgr.registerFeature("WithFeat", new RecordingFeature("F"));
        final SamgrException error = assertThrows(SamgrException.class, () -> samgr.unregisterService("WithFeat"));
        assertTrue(error.getMessage().contains("1 feature(s)"), error.getMessage());
        assertEquals(3, samgr.serviceCount());
        assertNotNull(samgr.unregisterFeature("WithFeat", "F"));
        assertNotNull(samgr.unregisterService("WithFeat"));
    }

    @Test
    void shouldRefuseToUnregisterWhileADefaultApiRemains()
    {
        samgr.registerService(service("WithApi"));
        samgr.registerDefaultFeatureApi("WithApi", new EchoImpl());
        final SamgrException error = assertThrows(SamgrException.class, () -> samgr.unregisterService("WithApi"));
        assertTrue(error.getMessage().contains("default API"), error.getMessage());
        assertNotNull(samgr.getDefaultFeatureApi("WithApi"), "the refused unregister changed nothing");
        assertNotNull(samgr.unregisterDefaultFeatureApi("WithApi"));
        assertNotNull(samgr.unregisterService("WithApi"));
    }

    @Test
    void shouldStopAtMaxServiceNum()
    {
        final int own = samgr.serviceCount();
        for (int i = own; i < Samgr.MAX_SERVICE_NUM; i++)
        {
            samgr.registerService(new RecordingService("s" + i, TaskConfig.noTask()));
        }
        assertEquals(Samgr.MAX_SERVICE_NUM, samgr.serviceCount());
        final SamgrException error = assertThrows(SamgrException.class,
            () -> samgr.registerService(service("OneTooMany")));
        assertEquals(ErrorCode.EC_NORESOURCE, error.errorCode());
        assertTrue(error.getMessage().contains("MAX_SERVICE_NUM=32752"), error.getMessage());
        assertNotNull(samgr.unregisterService("s100"));
        samgr.registerService(service("Fits"));
        assertEquals(Samgr.MAX_SERVICE_NUM, samgr.serviceCount());
        assertEquals(Samgr.MAX_SERVICE_NUM, samgr.serviceSlotCount(), "the freed slot was reused");
    }

    @Test
    void shouldReuseSlotsOnlyWhenTheVectorIsFull()
    {
        // Bootstrap and Broadcast hold slots 0 and 1; the vector has room for 4 (it grows by 4).
        samgr.registerService(service("A"));
        assertEquals(3, samgr.serviceSlotCount());
        samgr.unregisterService("A");
        samgr.registerService(service("C"));
        assertEquals(4, samgr.serviceSlotCount(), "not full: C takes a new slot, as VECTOR_Add does");
        samgr.registerService(service("D"));
        assertEquals(4, samgr.serviceSlotCount(), "full: D reuses A's freed slot");
        samgr.registerService(service("E"));
        assertEquals(5, samgr.serviceSlotCount(), "full and nothing free: the vector grows");
        assertEquals(5, samgr.serviceCount());
    }

    @Test
    void shouldInitialiseOnTheServiceTaskAndAllowRepeatedBootstraps()
    {
        final RecordingService first = service("First");
        samgr.registerService(first);
        Fixtures.bootstrapAndWait(samgr, first);
        assertTrue(first.initThread.getName().startsWith(samgr.threadNamePrefix()), first.initThread.getName());
        assertEquals(Identity.SERVICE_ONLY, first.identity.featureId());
        final RecordingService later = service("Later");
        samgr.registerService(later);
        Fixtures.bootstrapAndWait(samgr, later);
        samgr.bootstrap();
        Fixtures.until(() -> BootStatus.BOOT_DYNAMIC_WAIT == samgr.bootStatus(), "the dynamic phase");
        assertEquals(1, first.initCount.get(), "initialize ran exactly once");
        assertEquals(1, later.initCount.get(), "initialize ran exactly once");
    }

    @Test
    void shouldRejectBadTaskConfigs()
    {
        assertThrows(IllegalArgumentException.class, () -> TaskConfig.single(TaskConfig.PRI_NORMAL, 0));
        assertThrows(IllegalArgumentException.class,
            () -> new TaskConfig(0, 24, 0x10000, 10, TaskType.SINGLE_TASK));
        assertThrows(IllegalArgumentException.class, () -> new TaskConfig(0, 24, 0, -1, TaskType.SHARED_TASK));
        assertThrows(IllegalArgumentException.class, () -> new TaskConfig(0x8000, 24, 0, 1, TaskType.SHARED_TASK));
        assertThrows(NullPointerException.class, () -> new TaskConfig(0, 24, 0, 1, null));
        assertEquals(TaskConfig.PRI_LOW, new TaskConfig(0, 200, 0, 1, TaskType.SHARED_TASK).effectivePriority());
        assertEquals(TaskConfig.PRI_LOW, new TaskConfig(0, 39, 0, 1, TaskType.SHARED_TASK).effectivePriority());
        assertEquals(38, new TaskConfig(0, 38, 0, 1, TaskType.SHARED_TASK).effectivePriority());
    }

    @Test
    void shouldRefuseChangesAfterClose()
    {
        samgr.close();
        assertThrows(IllegalStateException.class, () -> samgr.registerService(service("Late")));
        assertThrows(IllegalStateException.class, samgr::bootstrap);
        assertEquals(0, samgr.taskCount());
    }
}
