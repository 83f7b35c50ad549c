/**
 * How a streamrec service gets its configuration: {@link io.streamrec.schemas.config.ConfigSources} merges
 * defaults, a properties file, {@code STREAMREC_*} environment variables and command-line overrides into one
 * map (later sources win), and {@link io.streamrec.schemas.config.ConfigDocs} renders a Kafka
 * {@code ConfigDef} as text or Markdown, so the documentation of every key comes from the code that defines it.
 *
 * <p>Stateless static functions; validation is each service's own config class's job. Used by the streams
 * app's and the trainer's command lines and by the demo.
 */
package io.streamrec.schemas.config;
