package io.harmonia.idl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.lang.model.element.Modifier;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;

/**
 * The Java shape of one IDL method, shared by the interface, proxy and stub generators.
 *
 * <p>Inputs are the [in] and [inout] parameters, in declaration order. Outputs are the result (when not void),
 * then the [out] and [inout] parameters in declaration order: the order of the callback's values after errCode
 * (as OpenHarmony's TypeScript callbacks) and of a {@code ...Result} record's components. On the wire the reply
 * carries the parameters first and the result last (as OpenHarmony's C++ stub writes them).
 */
final class MethodShape
{
    private final Method method;
    private final String javaName;
    private final ClassName interfaceClass;
    private final List<Parameter> inputs = new ArrayList<>();
    private final List<Parameter> outputParameters = new ArrayList<>();
    private final String errCodeName;
    private final String returnValueName;

    MethodShape(final Method method, final ClassName interfaceClass)
    {
        this.method = method;
        this.javaName = JavaNames.method(method.name());
        this.interfaceClass = interfaceClass;
        for (final Parameter parameter : method.parameters())
        {
            if (parameter.direction().sent())
            {
                inputs.add(parameter);
            }
            if (parameter.direction().returned())
            {
                outputParameters.add(parameter);
            }
        }
        final Set<String> taken = method.parameters().stream().map(Parameter::name).collect(Collectors.toSet());
        this.errCodeName = unused("errCode", taken);
        this.returnValueName = unused("returnValue", taken);
    }

    private static String unused(final String name, final Set<String> taken)
    {
        String candidate = name;
        while (taken.contains(candidate))
        {
            candidate += "_";
        }
        return candidate;
    }

    Method method()
    {
        return method;
    }

    String javaName()
    {
        return javaName;
    }

    /** The IDL name, as messages and logs name the method. */
    String idlName()
    {
        return method.name();
    }

    /**
     * The method as the IDL file declares it, for documentation.
     *
     * @return e.g. {@code int ProcessData([in] int data)}.
     */
    String idlSignature()
    {
        return (method.oneway() ? "[oneway] " : "") + method.result().idl() + " " + method.name() + "(" +
            method.parameters().stream().map(p -> "[" + p.direction().idl() + "] " + p.type().idl() + " " + p.name())
                .collect(Collectors.joining(", ")) + ")";
    }

    String command()
    {
        return JavaNames.command(method.name());
    }

    List<Parameter> inputs()
    {
        return inputs;
    }

    List<Parameter> outputParameters()
    {
        return outputParameters;
    }

    String errCodeName()
    {
        return errCodeName;
    }

    String returnValueName()
    {
        return returnValueName;
    }

    boolean oneway()
    {
        return method.oneway();
    }

    /**
     * The names of the output values in callback order.
     *
     * @return the result's name (when not void), then the output parameters' names.
     */
    List<String> outputNames()
    {
        final List<String> names = new ArrayList<>();
        if (method.returnsValue())
        {
            names.add(returnValueName);
        }
        outputParameters.forEach(parameter -> names.add(parameter.name()));
        return names;
    }

    /**
     * The IDL types of the output values in callback order.
     *
     * @return one per {@link #outputNames()}.
     */
    List<IdlType> outputTypes()
    {
        final List<IdlType> types = new ArrayList<>();
        if (method.returnsValue())
        {
            types.add(method.result());
        }
        outputParameters.forEach(parameter -> types.add(parameter.type()));
        return types;
    }

    /** Whether the plain form returns a record (there are [out] or [inout] parameters). */
    boolean returnsRecord()
    {
        return !outputParameters.isEmpty();
    }

    ClassName callbackClass()
    {
        return interfaceClass.nestedClass(JavaNames.callback(javaName));
    }

    ClassName resultClass()
    {
        return interfaceClass.nestedClass(JavaNames.result(javaName));
    }

    /**
     * What the plain form returns.
     *
     * @return void, the result's type, or the result record.
     */
    TypeName plainReturnType()
    {
        if (returnsRecord())
        {
            return resultClass();
        }
        return JavaTypes.of(method.result());
    }

    /**
     * The inputs as final Java parameters (of a method with a body).
     *
     * @return one per input.
     */
    List<ParameterSpec> inputParameters()
    {
        return inputParameters(Modifier.FINAL);
    }

    /**
     * The inputs as parameters of an abstract method.
     *
     * @return one per input.
     */
    List<ParameterSpec> abstractInputParameters()
    {
        return inputParameters(new Modifier[0]);
    }

    private List<ParameterSpec> inputParameters(final Modifier... modifiers)
    {
        final List<ParameterSpec> specs = new ArrayList<>();
        for (final Parameter parameter : inputs)
        {
            specs.add(ParameterSpec.builder(JavaTypes.of(parameter.type()), parameter.name(), modifiers).build());
        }
        return specs;
    }

    /**
     * The request's layout in words, for documentation.
     *
     * @return e.g. "the interface token, then key ({&#64;code String}), val ({&#64;code int})".
     */
    String requestLayout()
    {
        return "the interface token" + (inputs.isEmpty() ? "" : ", then " + inputs.stream()
            .map(p -> p.name() + " ({@code " + p.type().idl() + "})").collect(Collectors.joining(", ")));
    }

    /**
     * The reply's layout in words, for documentation.
     *
     * @return e.g. "errCode, then, when it is 0: outParam ({&#64;code int}), the result ({&#64;code String})".
     */
    String replyLayout()
    {
        final List<String> values = new ArrayList<>();
        outputParameters.forEach(p -> values.add(p.name() + " ({@code " + p.type().idl() + "})"));
        if (method.returnsValue())
        {
            values.add("the result ({@code " + method.result().idl() + "})");
        }
        return values.isEmpty() ? "errCode alone" : "errCode, then, when it is 0: " + String.join(", ", values);
    }

    /**
     * The callback's parameters: errCode, then the outputs.
     *
     * @return the parameters.
     */
    List<ParameterSpec> callbackParameters()
    {
        final List<ParameterSpec> specs = new ArrayList<>();
        specs.add(ParameterSpec.builder(TypeName.INT, errCodeName).build());
        final List<String> names = outputNames();
        final List<IdlType> types = outputTypes();
        for (int i = 0; i < names.size(); i++)
        {
            specs.add(ParameterSpec.builder(JavaTypes.of(types.get(i)), names.get(i)).build());
        }
        return specs;
    }

    /**
     * A local-name scope for a Java method that takes the inputs: their names are taken.
     *
     * @return the names.
     */
    LocalNames names()
    {
        final LocalNames names = new LocalNames();
        inputs.forEach(parameter -> names.keep(parameter.name()));
        return names;
    }

    /**
     * The Java default of a type, for outputs a failed call does not carry.
     *
     * @param type an IDL type.
     * @return 0, false or null as Java source.
     */
    static String defaultValue(final IdlType type)
    {
        if (type instanceof IdlType.Primitive primitive)
        {
            return switch (primitive)
            {
                case BOOLEAN -> "false";
                case LONG -> "0L";
                case FLOAT -> "0.0f";
                case DOUBLE -> "0.0";
                default -> "0";
            };
        }
        return "null";
    }
}
