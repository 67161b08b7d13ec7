using System;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Simulator.Ssh.Transport
{
    /// <summary>
    /// Hard time limits around stream operations. On .NET Framework a socket read ignores its
    /// cancellation token once started, so the limit is enforced by racing a timer; the caller
    /// then tears the connection down, which ends the abandoned read.
    /// </summary>
    internal static class SshTimeouts
    {
        public static async Task<T> WithTimeout<T>(Task<T> operation, TimeSpan timeout, string what, CancellationToken cancellationToken)
        {
            if (operation.IsCompleted) return await operation.ConfigureAwait(false);
            if (timeout == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled) return await operation.ConfigureAwait(false);
            using (var timerCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var timer = Task.Delay(timeout, timerCancel.Token);
                var first = await Task.WhenAny(operation, timer).ConfigureAwait(false);
                if (first != operation)
                {
                    Observe(operation);
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new SshTimeoutException($"No answer within {timeout.TotalSeconds:0.#} s while {what}.");
                }
                timerCancel.Cancel();
                return await operation.ConfigureAwait(false);
            }
        }

        public static async Task WithTimeout(Task operation, TimeSpan timeout, string what, CancellationToken cancellationToken)
        {
            await WithTimeout(ToGeneric(operation), timeout, what, cancellationToken).ConfigureAwait(false);
        }

        private static async Task<bool> ToGeneric(Task operation)
        {
            await operation.ConfigureAwait(false);
            return true;
        }

        /// <summary>Keeps an abandoned task's exception from surfacing as unobserved.</summary>
        public static void Observe(Task task) =>
            task.ContinueWith(t => { _ = t.Exception; }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
