package io.harmonia.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.harmonia.bindings.posix.Posix;

/** Calls on a RemoteObject of the same process: the handler runs on the calling thread, outcomes map to statuses. */
class LocalCallTest
{
    /** The [000] server stub: errCode 0, then the request's int plus one. */
    static final class ReplyWithErrCode extends RemoteObject
    {
        ReplyWithErrCode()
        {
            super("test");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            reply.writeInt(0);
            reply.writeInt(data.readInt() + 1);
            return true;
        }
    }

    /** [000]'s StubTest: overrides nothing. */
    static final class NoHandler extends RemoteObject
    {
        NoHandler()
        {
            super("test");
        }
    }

    @Test
    void seedFlowAnswersErrCodeThenValue()
    {
        final RemoteObject stub = new ReplyWithErrCode();
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            data.writeInt(99);
            final RequestResult result = stub.sendMessageRequestSync(1, data, reply, new MessageOption());
            assertEquals(0, result.errCode());
            assertEquals(1, result.code());
            assertSame(reply, result.reply());
            assertEquals(0, reply.readInt());
            assertEquals(100, reply.readInt());
        }
    }

    @Test
    void stubWithoutHandlerAnswersNoHandler()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final RemoteCallException failure = assertThrows(RemoteCallException.class,
                () -> new NoHandler().sendMessageRequestSync(1, data, reply, new MessageOption()));
            assertEquals(CallFailure.NO_HANDLER, failure.failure());
            assertEquals(305, failure.result().errCode());
        }
    }

    @Test
    void refusedAndThrowingHandlersGiveTheirOwnStatus()
    {
        final RemoteObject refuses = new RemoteObject("refuses")
        {
            @Override
            protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
                final MessageSequence reply, final MessageOption option)
            {
                reply.writeInt(7); // dropped: a refused request sends no reply data
                return false;
            }
        };
        final RemoteObject throwing = new RemoteObject("throws")
        {
            @Override
            protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
                final MessageSequence reply, final MessageOption option)
            {
                throw new IllegalStateException("handler failure on purpose");
            }
        };
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final RemoteCallException refused = assertThrows(RemoteCallException.class,
                () -> refuses.sendMessageRequestSync(5, data, reply, new MessageOption()));
            assertEquals(CallFailure.NOT_HANDLED, refused.failure());
            assertEquals(0, reply.getSize());
            final RemoteCallException threw = assertThrows(RemoteCallException.class,
                () -> throwing.sendMessageRequestSync(5, data, reply, new MessageOption()));
            assertEquals(CallFailure.HANDLER_FAILED, threw.failure());
            assertEquals(RpcException.COMMUNICATION_ERROR, threw.code());
        }
    }

    @Test
    void asyncHandlerThatNeverAnswersTimesOut()
    {
        final RemoteObject silent = new RemoteObject("silent")
        {
            @Override
            protected CompletionStage<Boolean> onRemoteMessageRequestAsync(final int code, final MessageSequence data,
                final MessageSequence reply, final MessageOption option)
            {
                return new CompletableFuture<>();
            }
        };
        final MessageOption option = new MessageOption();
        option.setWaitTimeMillis(50);
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final RemoteCallException late = assertThrows(RemoteCallException.class,
                () -> silent.sendMessageRequestSync(1, data, reply, option));
            assertEquals(CallFailure.TIMED_OUT, late.failure());
            assertEquals(CallFailure.Leg.REPLY, late.failure().leg());
        }
    }

    @Test
    void codeOutOfRangeFailsTheFuture()
    {
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final CompletableFuture<RequestResult> call =
                new ReplyWithErrCode().sendMessageRequest(0x01000000, data, reply, new MessageOption());
            final ExecutionException failed = assertThrows(ExecutionException.class, call::get);
            assertEquals(CallFailure.INVALID_CODE, ((RemoteCallException)failed.getCause()).failure());
        }
    }

    @Test
    void nullArgumentsAreBadParameters()
    {
        final RpcException failure = assertThrows(RpcException.class,
            () -> new ReplyWithErrCode().sendMessageRequestSync(1, null, MessageSequence.create(), new MessageOption()));
        assertEquals(RpcException.CHECK_PARAM_ERROR, failure.code());
    }

    @Test
    void outsideARequestTheIdentityIsTheProcesssOwn()
    {
        assertEquals(Posix.uid(), IPCSkeleton.getCallingUid());
        assertEquals(Posix.pid(), IPCSkeleton.getCallingPid());
        assertTrue(IPCSkeleton.getCallingIdentity().local());
        final CallingIdentity caller = new CallingIdentity(4242, 17, 99, false);
        final CallingIdentity saved = CallContext.enter(caller);
        try
        {
            assertEquals(4242, IPCSkeleton.getCallingUid());
            final CallingIdentity token = IPCSkeleton.resetCallingIdentity();
            assertEquals(caller, token);
            assertEquals(Posix.uid(), IPCSkeleton.getCallingUid());
            IPCSkeleton.restoreCallingIdentity(token);
            assertEquals(99, IPCSkeleton.getCallingTokenId());
        }
        finally
        {
            CallContext.exit(saved);
        }
        assertEquals(Posix.pid(), IPCSkeleton.getCallingPid());
    }

    @Test
    void aStubReadBackInItsOwnProcessIsTheStubItself()
    {
        final RemoteObject stub = new ReplyWithErrCode();
        try (MessageSequence message = MessageSequence.create())
        {
            message.writeRemoteObject(stub);
            message.writeRemoteObjectArray(new IRemoteObject[] {stub, new NoHandler()});
            assertSame(stub, message.readRemoteObject());
            final IRemoteObject[] array = message.readRemoteObjectArray();
            assertSame(stub, array[0]);
            assertEquals(2, array.length);
            assertThrows(RpcException.class, message::readRemoteObject);
        }
    }

    @Test
    void messageOptionSetFlagsCanClearAsync()
    {
        final MessageOption option = new MessageOption(MessageOption.TF_ASYNC, 0);
        assertTrue(option.isAsync());
        assertEquals(MessageOption.TF_WAIT_TIME, option.getWaitTime());
        option.setFlags(MessageOption.TF_SYNC);
        assertFalse(option.isAsync());
        option.setWaitTime(5000);
        assertEquals(MessageOption.MAX_WAIT_TIME, option.getWaitTime());
        assertThrows(RpcException.class, () -> option.setFlags(0x4));
    }

    @Test
    void localInterfaceAnswersOnlyItsDescriptor()
    {
        final RemoteObject stub = new ReplyWithErrCode();
        final IRemoteBroker broker = () -> stub;
        stub.modifyLocalInterface(broker, "test");
        assertSame(broker, stub.getLocalInterface("test"));
        assertNull(stub.getLocalInterface("other"));
    }
}
