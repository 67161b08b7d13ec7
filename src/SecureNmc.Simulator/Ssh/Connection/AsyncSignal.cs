using System.Threading.Tasks;

namespace SecureNmc.Simulator.Ssh.Connection
{
    /// <summary>A wake-up for waiters on state guarded by a lock (window space, new data): wait, re-check, repeat.</summary>
    internal sealed class AsyncSignal
    {
        private readonly object _gate = new object();
        private TaskCompletionSource<bool> _next = New();

        private static TaskCompletionSource<bool> New() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>A task that completes at the next <see cref="Set"/> after this call.</summary>
        public Task WaitTask
        {
            get
            {
                lock (_gate) return _next.Task;
            }
        }

        public void Set()
        {
            TaskCompletionSource<bool> current;
            lock (_gate)
            {
                current = _next;
                _next = New();
            }
            current.TrySetResult(true);
        }
    }
}
