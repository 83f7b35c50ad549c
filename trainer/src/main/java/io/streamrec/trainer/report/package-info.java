/**
 * What the trainer's reports are drawn with: {@link io.streamrec.trainer.report.SvgChart}, standalone SVG
 * charts that make a report one HTML file shown without scripts or network, and
 * {@link io.streamrec.trainer.report.PeakHeap}, the JVM's peak heap over a stretch of work. A chart belongs to
 * the thread that builds it. Used by the refit report and the benchmark, and by the demo's reports.
 */
package io.streamrec.trainer.report;
