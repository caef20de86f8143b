package io.harmonia.bench.rpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.grpc.MethodDescriptor;

/**
 * The grpc-java baseline's one unary method, echoing raw bytes: no protobuf, a byte[] marshaller, so the baseline
 * measures gRPC's transport and call machinery, not message encoding.
 */
final class GrpcEcho
{
    /** The service name. */
    static final String SERVICE = "harmonia.bench.Echo";

    /** Bytes in, the same bytes out. */
    static final MethodDescriptor<byte[], byte[]> METHOD = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Echo"))
        .setRequestMarshaller(new Bytes())
        .setResponseMarshaller(new Bytes())
        .build();

    private GrpcEcho()
    {
    }

    /** byte[] as it is. */
    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]>
    {
        @Override
        public InputStream stream(final byte[] value)
        {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(final InputStream stream)
        {
            try
            {
                return stream.readAllBytes();
            }
            catch (final IOException failed)
            {
                throw new UncheckedIOException(failed);
            }
        }
    }
}
