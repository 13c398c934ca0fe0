package dev.paddock.hardware;

import java.util.List;
import java.util.Locale;

/** A fit plan as the CLI's --json and the API report it: the estimate, the verdict and the recommended settings. */
public record FitReport(String model, int context, String kvType, MemoryEstimate estimate, long expectedBytes, long worstCaseBytes,
        long availableBytes, Long containerLimitBytes, boolean fits, String verdict, int largestContext, int trainedContext, int threads,
        int batch, int gpuLayers, String gpu, List<String> notes, Boolean runnable, String engine) {

    public static FitReport of(String model, FitPlan plan, SystemMemory memory, List<String> notes) {
        return of(model, plan, memory, notes, null, null);
    }

    /**
     * @param runnable whether an installed engine loads the model; @param engine which one (null: none). A model no
     * installed engine loads does not fit, whatever its memory: {@code fits} is false and the verdict says why.
     */
    public static FitReport of(String model, FitPlan plan, SystemMemory memory, List<String> notes, Boolean runnable, String engine) {
        MemoryEstimate e = plan.estimate();
        boolean noEngine = Boolean.FALSE.equals(runnable);
        return new FitReport(model, e.context(), e.kvType().name().toLowerCase(Locale.ROOT), e, e.expectedBytes(), e.worstCaseBytes(),
                plan.availableBytes(), memory.containerLimitBytes(), plan.fits() && !noEngine, noEngine ? withoutEngine(plan) : plan.verdict(),
                plan.largestContext(),
                plan.trainedContext(), plan.threads(), plan.batch(), plan.gpu() == null ? 0 : plan.gpu().layers(),
                plan.gpu() == null ? null : plan.gpu().gpu().name(), List.copyOf(notes), runnable, engine);
    }

    /** The verdict for a model that no installed engine loads, with what its memory would allow once one does. */
    public static String withoutEngine(FitPlan plan) {
        return "does not run here until a current engine is installed (" + plan.verdict() + ")";
    }
}
