using System;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Ftp
{
    /// <summary>Raised by <see cref="StepDeadline"/> when a step overran its time limit.</summary>
    internal sealed class StepTimeoutException : Exception
    {
        public StepTimeoutException(TimeSpan limit) : base("step timed out") { Limit = limit; }
        public TimeSpan Limit { get; }
    }

    /// <summary>
    /// Runs one network step under a hard time limit. On timeout or cancellation the connection is
    /// disposed (on .NET Framework a pending socket read ignores its token; only closing the socket ends
    /// it) and the wait ends even if the step itself never notices. The connection is unusable afterwards,
    /// which is right: the peer's protocol state is unknown once a step was cut short.
    /// </summary>
    internal static class StepDeadline
    {
        public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> step, TimeSpan limit,
            IDisposable abortOnExpiry, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (limit != Timeout.InfiniteTimeSpan) expiry.CancelAfter(limit);
                Task<T> running;
                using (expiry.Token.Register(state => SafeDispose((IDisposable)state!), abortOnExpiry))
                {
                    try
                    {
                        running = step(expiry.Token);
                    }
                    catch (Exception) when (expiry.IsCancellationRequested)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        throw new StepTimeoutException(limit);
                    }

                    if (!running.IsCompleted)
                    {
                        var expired = Task.Delay(Timeout.Infinite, expiry.Token);
                        if (await Task.WhenAny(running, expired).ConfigureAwait(false) == expired)
                        {
                            Observe(running);
                            cancellationToken.ThrowIfCancellationRequested();
                            throw new StepTimeoutException(limit);
                        }
                    }

                    try
                    {
                        return await running.ConfigureAwait(false);
                    }
                    catch (Exception) when (expiry.IsCancellationRequested)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        throw new StepTimeoutException(limit);
                    }
                }
            }
        }

        public static Task RunAsync(Func<CancellationToken, Task> step, TimeSpan limit,
            IDisposable abortOnExpiry, CancellationToken cancellationToken) =>
            RunAsync(async token => { await step(token).ConfigureAwait(false); return true; }, limit, abortOnExpiry, cancellationToken);

        /// <summary>An abandoned step may still fault later; observe it so it never surfaces as an unobserved exception.</summary>
        private static void Observe(Task task) =>
            task.ContinueWith(t => { _ = t.Exception; }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        private static void SafeDispose(IDisposable target)
        {
            try { target.Dispose(); } catch (Exception) { /* already closed: nothing left to abort */ }
        }
    }
}
