using System;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Transport.Scp
{
    /// <summary>
    /// Runs one of SSH.NET's blocking calls (connect, a channel read or write) on a thread of its own.
    /// On the thread pool a hundred cards waiting at once would hold a hundred pool threads, and the
    /// pool grows slowly: work that would wake them (SSH.NET's own, the caller's) then queues behind
    /// them and sessions time out. A dedicated thread per waiting step costs a thread start, which is
    /// small next to a network round trip.
    /// </summary>
    internal static class BlockingCall
    {
        public static Task<T> Run<T>(Func<T> call) =>
            Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

        public static Task Run(Action call) =>
            Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }
}
