using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>
    /// The one thread that makes a card session's blocking SSH.NET calls (connect, channel open, reads,
    /// writes, logout), one after another, for the session's whole life. SSH.NET's channel streams block
    /// (their ReadAsync too waits on a pool thread), and on the thread pool a thousand cards waiting at once
    /// starve it. A thread started per call (the first design) cost a thread start for each of the
    /// dozens of calls a card cycle makes: with a thousand cards in flight that was about a quarter of
    /// the engine's CPU time. A session's calls never overlap (one operation at a time), so one thread
    /// per session serves them all.
    /// </summary>
    internal sealed class SessionThread : IDisposable
    {
        private readonly BlockingCollection<Action> _calls = new BlockingCollection<Action>();

        public SessionThread(string name)
        {
            var thread = new Thread(Serve) { IsBackground = true, Name = name };
            thread.Start();
        }

        /// <summary>
        /// Runs <paramref name="call"/> on this session's thread. A call cut short by its deadline may stay
        /// blocked until the dropped connection ends it; calls after it wait behind it, which is right,
        /// as the session is unusable then.
        /// </summary>
        public Task<T> Run<T>(Func<T> call)
        {
            // Continuations run on the pool, never on this thread: the caller's next step must not
            // queue behind the call that resumed it.
            var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                _calls.Add(() =>
                {
                    try
                    {
                        result.SetResult(call());
                    }
                    catch (Exception ex)
                    {
                        result.SetException(ex);
                    }
                });
            }
            catch (InvalidOperationException)
            {
                // The session is closed (its thread ended): the connection is gone too.
                result.SetException(new ObjectDisposedException(nameof(SessionThread), "The SSH session is closed."));
            }
            return result.Task;
        }

        public Task Run(Action call) => Run(() => { call(); return true; });

        private void Serve()
        {
            foreach (var call in _calls.GetConsumingEnumerable()) call();
            _calls.Dispose();
        }

        /// <summary>Ends the thread once the calls already queued have run.</summary>
        public void Dispose()
        {
            try
            {
                _calls.CompleteAdding();
            }
            catch (ObjectDisposedException)
            {
                // Ended already.
            }
        }
    }
}
