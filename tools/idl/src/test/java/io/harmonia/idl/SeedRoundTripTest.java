package io.harmonia.idl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.harmonia.rpc.CallFailure;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteCallException;
import io.harmonia.rpc.RpcException;
import ohos.IIdlServiceExt;
import ohos.IdlServiceExtProxy;
import ohos.IdlServiceExtStub;

/**
 * The seed's IDL example (ServiceExtensionAbility guide) through the generated proxy and stub, on an object of
 * this process: the runtime runs the stub's handler directly, so the bytes still go through marshalling both
 * ways. Every call is bounded in time: an error must come back, never a hang.
 */
class SeedRoundTripTest
{
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final int ERR_DENY = -1;

    /** The seed's ServiceExtImpl: processData answers data + 1, insertDataToMap stores the pair. */
    static final class ServiceExtImpl extends IdlServiceExtStub
    {
        final Map<String, Integer> map = new ConcurrentHashMap<>();

        ServiceExtImpl()
        {
            super("ExtImpl");
        }

        @Override
        public void processData(final int data, final ProcessDataCallback callback)
        {
            callback.onResult(ERR_OK, data + 1);
        }

        @Override
        public void insertDataToMap(final String key, final int val, final InsertDataToMapCallback callback)
        {
            map.put(key, val);
            callback.onResult(ERR_OK);
        }
    }

    /** The seed's uid-check variant: the check is asynchronous, so processData never calls its callback. */
    static final class UidCheckImpl extends IdlServiceExtStub
    {
        @Override
        public void processData(final int data, final ProcessDataCallback callback)
        {
            // getBundleNameByUid(...).then(...) in the seed: nothing is answered before the method returns.
        }

        @Override
        public void insertDataToMap(final String key, final int val, final InsertDataToMapCallback callback)
        {
            callback.onResult(ERR_OK);
        }
    }

    /** The seed's token-check variant: a denied caller gets callback(ERR_DENY, data). */
    static final class DenyingImpl extends IdlServiceExtStub
    {
        @Override
        public void processData(final int data, final ProcessDataCallback callback)
        {
            callback.onResult(ERR_DENY, data);
        }

        @Override
        public void insertDataToMap(final String key, final int val, final InsertDataToMapCallback callback)
        {
            callback.onResult(ERR_DENY);
        }
    }

    record Answer(int errCode, int value)
    {
    }

    @Test
    void processDataOfOneGivesZeroAndTwoThroughTheCallback()
    {
        final IdlServiceExtProxy proxy = new IdlServiceExtProxy(new ServiceExtImpl());
        final List<Answer> answers = new CopyOnWriteArrayList<>();
        assertTimeoutPreemptively(BOUND, () -> proxy.processData(1, (errorCode, retVal) ->
            answers.add(new Answer(errorCode, retVal))));
        assertEquals(List.of(new Answer(0, 2)), answers);
    }

    @Test
    void processDataOfOneGivesTwoInThePlainForm()
    {
        final IdlServiceExtProxy proxy = new IdlServiceExtProxy(new ServiceExtImpl());
        assertEquals(2, assertTimeoutPreemptively(BOUND, () -> proxy.processData(1)));
        assertEquals(Integer.MIN_VALUE, proxy.processData(Integer.MAX_VALUE), "int arithmetic wraps as in Java");
    }

    @Test
    void insertDataToMapGivesZeroAndReachesTheService()
    {
        final ServiceExtImpl service = new ServiceExtImpl();
        final IdlServiceExtProxy proxy = new IdlServiceExtProxy(service);
        final List<Integer> codes = new CopyOnWriteArrayList<>();
        assertTimeoutPreemptively(BOUND, () -> proxy.insertDataToMap("theKey", 1, codes::add));
        assertEquals(List.of(0), codes);
        assertEquals(Map.of("theKey", 1), service.map);
        proxy.insertDataToMap("ключ 🔑", -7);
        assertEquals(-7, service.map.get("ключ 🔑"), "UTF-16 keys arrive intact");
    }

    @Test
    void aServiceThatNeverCallsBackGivesAClearErrorNotAHang()
    {
        final IdlServiceExtProxy proxy = new IdlServiceExtProxy(new UidCheckImpl());
        final RpcException plain = assertThrows(RpcException.class,
            () -> assertTimeoutPreemptively(BOUND, () -> proxy.processData(1)));
        assertEquals(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, plain.code());
        assertTrue(plain.getMessage().contains("the reply to ProcessData of OHOS.IIdlServiceExt has no errCode"),
            plain.getMessage());

        final List<Answer> answers = new CopyOnWriteArrayList<>();
        assertTimeoutPreemptively(BOUND, () -> proxy.processData(1, (errorCode, retVal) ->
            answers.add(new Answer(errorCode, retVal))));
        assertEquals(List.of(new Answer(RpcException.READ_DATA_FROM_MESSAGE_SEQUENCE_ERROR, 0)), answers);

        assertTimeoutPreemptively(BOUND, () -> proxy.insertDataToMap("theKey", 1));
    }

    @Test
    void aDeniedCallerGetsTheServicesErrCode()
    {
        final IdlServiceExtProxy proxy = new IdlServiceExtProxy(new DenyingImpl());
        final IIdlServiceExt.ErrCodeException denied = assertThrows(IIdlServiceExt.ErrCodeException.class,
            () -> proxy.processData(5));
        assertEquals(ERR_DENY, denied.errCode());
        final List<Answer> answers = new CopyOnWriteArrayList<>();
        proxy.processData(5, (errorCode, retVal) -> answers.add(new Answer(errorCode, retVal)));
        assertEquals(List.of(new Answer(ERR_DENY, 0)), answers, "results are not read after a non-zero errCode");
        assertEquals(ERR_DENY, assertThrows(IIdlServiceExt.ErrCodeException.class,
            () -> proxy.insertDataToMap("k", 1)).errCode());
    }

    /** Sends a hand-written request to the seed's service and returns why it failed (asserting that it did). */
    private static CallFailure failureOf(final int code, final Consumer<MessageSequence> request)
    {
        final IRemoteObject service = new ServiceExtImpl();
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            request.accept(data);
            final RemoteCallException failed = assertThrows(RemoteCallException.class,
                () -> assertTimeoutPreemptively(BOUND, () ->
                    service.sendMessageRequestSync(code, data, reply, new MessageOption())));
            assertEquals(0, reply.getSize(), "a failed call answers nothing");
            return failed.failure();
        }
    }

    @Test
    void aWrongInterfaceTokenIsRefusedAsTransactionFailed()
    {
        for (final String token : List.of("OHOS.IOther", "ExtImpl", "ohos.IIdlServiceExt"))
        {
            assertEquals(CallFailure.TRANSACTION_FAILED, failureOf(IIdlServiceExt.COMMAND_PROCESS_DATA, data ->
            {
                data.writeInterfaceToken(token);
                data.writeInt(1);
            }), token);
        }
    }

    @Test
    void aRequestWithoutAnyTokenIsRefused()
    {
        // The [001] raw client: writeInt(100), code 1, no token.
        assertEquals(CallFailure.TRANSACTION_FAILED, failureOf(1, data -> data.writeInt(100)));
    }

    @Test
    void anUnknownCodeIsRefused()
    {
        assertEquals(CallFailure.NO_HANDLER, failureOf(3, data -> data.writeInterfaceToken(IIdlServiceExt.DESCRIPTOR)));
    }

    @Test
    void aTruncatedRequestFailsTheCall()
    {
        assertEquals(CallFailure.HANDLER_FAILED, failureOf(IIdlServiceExt.COMMAND_INSERT_DATA_TO_MAP, data ->
        {
            data.writeInterfaceToken(IIdlServiceExt.DESCRIPTOR);
            data.writeString("theKey"); // the int val is missing
        }));
    }

    @Test
    void transportFailuresReachTheCallbackAsRpcCodes()
    {
        // A RemoteObject without a handler: every call fails with NO_HANDLER (RPC code 1900007).
        final IdlServiceExtProxy proxy = new IdlServiceExtProxy(new io.harmonia.rpc.RemoteObject("bare"));
        final List<Answer> answers = new CopyOnWriteArrayList<>();
        proxy.processData(1, (errorCode, retVal) -> answers.add(new Answer(errorCode, retVal)));
        assertEquals(List.of(new Answer(RpcException.COMMUNICATION_ERROR, 0)), answers);
        final RemoteCallException plain = assertThrows(RemoteCallException.class, () -> proxy.processData(1));
        assertEquals(CallFailure.NO_HANDLER, plain.failure());
    }

    @Test
    void asInterfaceGivesTheServiceItselfInItsProcessAndAProxyForAnyOtherObject()
    {
        final ServiceExtImpl service = new ServiceExtImpl();
        assertSame(service, IIdlServiceExt.asInterface(service));
        assertEquals(2, IIdlServiceExt.asInterface(service).processData(1), "plain form on the service itself");
        assertInstanceOf(IdlServiceExtProxy.class, IIdlServiceExt.asInterface(new io.harmonia.rpc.RemoteObject("x")));
        assertEquals(RpcException.CHECK_PARAM_ERROR,
            assertThrows(RpcException.class, () -> IIdlServiceExt.asInterface(null)).code());
        assertEquals(RpcException.CHECK_PARAM_ERROR,
            assertThrows(RpcException.class, () -> new IdlServiceExtProxy(null)).code());
    }

    @Test
    void thePlainFormOnTheServiceItselfReportsAMissingCallback()
    {
        final UidCheckImpl service = new UidCheckImpl();
        final RpcException missing = assertThrows(RpcException.class, () -> service.processData(1));
        assertTrue(missing.getMessage().contains("returned without calling its callback"), missing.getMessage());
        assertEquals(ERR_DENY, assertThrows(IIdlServiceExt.ErrCodeException.class,
            () -> new DenyingImpl().processData(1)).errCode());
    }

    @Test
    void aNullArgumentIsRefusedBeforeAnythingIsSent()
    {
        final ServiceExtImpl service = new ServiceExtImpl();
        final IdlServiceExtProxy proxy = new IdlServiceExtProxy(service);
        final RpcException refused = assertThrows(RpcException.class, () -> proxy.insertDataToMap(null, 1));
        assertEquals(RpcException.CHECK_PARAM_ERROR, refused.code());
        assertTrue(refused.getMessage().contains("field 'key' is null"), refused.getMessage());
        assertThrows(RpcException.class, () -> proxy.insertDataToMap("k", 1, null));
        assertTrue(service.map.isEmpty());
    }
}
