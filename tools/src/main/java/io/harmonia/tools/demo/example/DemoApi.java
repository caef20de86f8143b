package io.harmonia.tools.demo.example;

import io.harmonia.samgr.IUnknown;

/**
 * The samgr_lite README's example API ({@code DemoApi}), exported by one process and called from another through
 * the same interface: by the provider's own code in process, by {@link DemoClientProxy} from elsewhere.
 */
public interface DemoApi extends IUnknown
{
    /** The example's service ({@code EXAMPLE_SERVICE}). */
    String EXAMPLE_SERVICE = "example";
    /** The example's feature ({@code EXAMPLE_FEATURE}). */
    String EXAMPLE_FEATURE = "exampleFeature";
    /** funcId of {@link #asyncCall} ({@code ID_ASYNCALL}). */
    int ID_ASYNCALL = 0;
    /** funcId of {@link #asyncTimeCall} ({@code ID_ASYNTIMECALL}). */
    int ID_ASYNTIMECALL = 1;
    /** funcId of {@link #syncCall} ({@code ID_SYNCCALL}). */
    int ID_SYNCCALL = 2;
    /** funcId of {@link #asyncCallBack} ({@code ID_ASYNCCALLBACK}). */
    int ID_ASYNCCALLBACK = 3;
    /** The client's request buffer size ({@code MAX_DATA_LEN}). */
    int MAX_DATA_LEN = 0x100;

    /** The arguments of {@link #syncCall} ({@code struct Payload}). */
    record Payload(int id, int value, String name)
    {
    }

    /** The handler {@link #asyncCallBack} hands the answer to ({@code INotifyFunc}). */
    @FunctionalInterface
    interface NotifyHandler
    {
        /**
         * Receives the answer.
         *
         * @param owner    the owner the caller passed.
         * @param response the provider's answer.
         */
        void handle(Object owner, String response);
    }

    /**
     * Hands a text to the provider ({@code AsyncCall}); one way across processes.
     *
     * @param buff the text, or null.
     * @return true when sent (or, in process, accepted).
     */
    boolean asyncCall(String buff);

    /**
     * Starts the provider's timed job ({@code AsyncTimeCall}); one way across processes.
     *
     * @return true when sent.
     */
    boolean asyncTimeCall();

    /**
     * A synchronous call with a payload ({@code SyncCall}); the provider answers "TRUE" or "FALSE".
     *
     * @param payload the arguments.
     * @return true when the call went through.
     */
    boolean syncCall(Payload payload);

    /**
     * A call whose answer reaches a handler before this method returns ({@code AsyncCallBack}, "convert to sync
     * proxy").
     *
     * @param buff    the text.
     * @param owner   handed to the handler.
     * @param handler receives "Yes, you did!".
     * @return true when the call went through.
     */
    boolean asyncCallBack(String buff, Object owner, NotifyHandler handler);
}
