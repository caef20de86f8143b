package io.harmonia.idl;

/**
 * The types of Harmonia's IDL subset. The parser produces {@link Named} for a name it cannot know yet; the
 * {@link Checker} replaces every one with the {@link Sequenceable} or {@link Interface} its declaration names.
 */
sealed interface IdlType
{
    /** The IDL spelling, for messages and comments: {@code Map<String, int[]>}. */
    String idl();

    /** {@code void}: only a method's result. */
    record Void() implements IdlType
    {
        @Override
        public String idl()
        {
            return "void";
        }
    }

    /** The eight fixed-size values. */
    enum Primitive implements IdlType
    {
        BOOLEAN("boolean"), BYTE("byte"), SHORT("short"), INT("int"), LONG("long"), FLOAT("float"), DOUBLE("double");

        private final String idl;

        Primitive(final String idl)
        {
            this.idl = idl;
        }

        @Override
        public String idl()
        {
            return idl;
        }

        /**
         * The primitive an IDL keyword names.
         *
         * @param word a word of the source.
         * @return the primitive, or null.
         */
        static Primitive of(final String word)
        {
            for (final Primitive primitive : values())
            {
                if (primitive.idl.equals(word))
                {
                    return primitive;
                }
            }
            return null;
        }
    }

    /** {@code String}: UTF-16 text. */
    record Text() implements IdlType
    {
        @Override
        public String idl()
        {
            return "String";
        }
    }

    /** {@code T[]}. */
    record Array(IdlType element) implements IdlType
    {
        @Override
        public String idl()
        {
            return element.idl() + "[]";
        }
    }

    /** {@code List<T>}. */
    record ListOf(IdlType element) implements IdlType
    {
        @Override
        public String idl()
        {
            return "List<" + element.idl() + ">";
        }
    }

    /** {@code Map<K, V>}. */
    record MapOf(IdlType key, IdlType value) implements IdlType
    {
        @Override
        public String idl()
        {
            return "Map<" + key.idl() + ", " + value.idl() + ">";
        }
    }

    /** A class declared with {@code sequenceable ns.Name;}: it marshals itself. */
    record Sequenceable(QualifiedName name) implements IdlType
    {
        @Override
        public String idl()
        {
            return name.simpleName();
        }
    }

    /** {@code sequenceable OHOS.IRemoteObject;}: a bare remote object, written with writeRemoteObject. */
    record RemoteObject() implements IdlType
    {
        @Override
        public String idl()
        {
            return "IRemoteObject";
        }
    }

    /** An IDL interface (declared with {@code interface ns.Name;}, or the one being defined). */
    record Interface(QualifiedName name) implements IdlType
    {
        @Override
        public String idl()
        {
            return name.simpleName();
        }
    }

    /** A name the parser read where a type goes, before the checker resolves it. */
    record Named(QualifiedName name, Position position) implements IdlType
    {
        @Override
        public String idl()
        {
            return name.toString();
        }
    }
}
