package io.harmonia.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A process connecting to an object it published itself gets the object, as any reference read back at home. */
class SameProcessPublicationTest
{
    @Test
    void connectingToOwnPublicationGivesTheObjectItself()
    {
        final RemoteObject object = new LocalCallTest.ReplyWithErrCode();
        try (Publication publication = IPCSkeleton.publish(RemoteCallTest.address(), object))
        {
            final IRemoteObject found = IPCSkeleton.connect(publication.address(), 5000);
            assertSame(object, found);
            try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
            {
                data.writeInt(1);
                found.sendMessageRequestSync(1, data, reply, new MessageOption());
                assertEquals(0, reply.readInt());
                assertEquals(2, reply.readInt());
            }
        }
    }
}
