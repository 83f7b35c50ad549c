package io.streamrec.trainer.model;

import java.util.Arrays;

/**
 * A named parameter with its shape and row-major values, as an exporter needs it.
 *
 * <p>Instances hold private copies: {@link #values()} and {@link #shape()} return fresh copies,
 * so the record is immutable.
 *
 * @param name   parameter name (see {@link NcfModel} for the list)
 * @param shape  dimensions, outermost first
 * @param values row-major values
 */
public record ParameterTensor(String name, int[] shape, float[] values) {

    /** Copies the arrays and checks that the shape matches the value count. */
    public ParameterTensor {
        shape = shape.clone();
        values = values.clone();
        long count = 1;
        for (int s : shape) {
            count *= s;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " != " + values.length + " values");
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
