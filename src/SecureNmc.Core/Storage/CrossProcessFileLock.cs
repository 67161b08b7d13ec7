using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecureNmc.Core.Storage
{
    /// <summary>
    /// An exclusive lock shared by every process of the user (two PowerShell sessions, a runbook):
    /// a lock file held open with FileShare.None. Windows enforces that share mode; .NET on Unix
    /// takes flock(LOCK_EX) for it. The OS drops the lock when the process dies, so a crashed
    /// session never leaves the inventory locked. The lock file itself is never deleted (deleting
    /// it would let two processes lock two different files).
    /// </summary>
    public sealed class CrossProcessFileLock : IDisposable
    {
        private FileStream? _stream;

        private CrossProcessFileLock(string path, FileStream stream)
        {
            Path = path;
            _stream = stream;
        }

        public string Path { get; }

        /// <summary>Waits up to <paramref name="timeout"/> for the lock; throws <see cref="StoreLockTimeoutException"/> after.</summary>
        /// <remarks>
        /// Fairness: file locks have no queue, so a session writing in a tight loop would re-take the
        /// lock before a polling waiter ever saw it free. A waiter therefore first takes a second
        /// "queue" lock and holds it while it polls for the main one; a session that just released the
        /// main lock must get the queue lock before it may take the main lock again, so it waits its turn.
        /// </remarks>
        public static CrossProcessFileLock Acquire(string lockFilePath, TimeSpan timeout, string whatIsLocked, ILogger? logger = null, CancellationToken cancellationToken = default)
        {
            logger ??= NullLogger.Instance;
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(lockFilePath))!;
            PhysicalFileOperations.Instance.CreateDirectory(directory);
            var clock = Stopwatch.StartNew();
            using (var queue = OpenExclusive(lockFilePath + QueueSuffix, lockFilePath, timeout, clock, whatIsLocked, logger, cancellationToken))
            {
                var main = OpenExclusive(lockFilePath, lockFilePath, timeout, clock, whatIsLocked, logger, cancellationToken);
                if (clock.ElapsedMilliseconds > 100) logger.LogDebug("Acquired the lock {LockFile} after {Elapsed} ms.", lockFilePath, clock.ElapsedMilliseconds);
                return new CrossProcessFileLock(lockFilePath, main);
            }
        }

        internal const string QueueSuffix = ".queue";

        private static FileStream OpenExclusive(string path, string reportedPath, TimeSpan timeout, Stopwatch clock, string whatIsLocked, ILogger logger, CancellationToken cancellationToken)
        {
            int delayMs = 1;
            bool loggedWait = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                    UnixFilePermissions.TrySetOwnerOnly(path, isDirectory: false); // every file of the data folder is owner-only
                    return stream;
                }
                catch (IOException) when (clock.Elapsed < timeout)
                {
                    // Held by another process (or thread): back off, with a little jitter so two
                    // waiters do not retry in lock-step.
                }
                catch (UnauthorizedAccessException) when (clock.Elapsed < timeout && IsWindows)
                {
                    // Windows reports a file pending deletion or briefly held by a scanner this way.
                }
                catch (IOException e)
                {
                    throw new StoreLockTimeoutException(reportedPath, whatIsLocked, timeout, e);
                }
                if (!loggedWait && clock.ElapsedMilliseconds > 500)
                {
                    logger.LogDebug("Waiting for another SecureNmc session to release {LockFile}.", reportedPath);
                    loggedWait = true;
                }
                Thread.Sleep(delayMs + Jitter.Next(delayMs + 1));
                delayMs = Math.Min(delayMs * 2, 20);
            }
        }

        public void Dispose()
        {
            var stream = Interlocked.Exchange(ref _stream, null);
            stream?.Dispose();
        }

        private static bool IsWindows => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

        [ThreadStatic] private static Random? _jitter;
        private static Random Jitter => _jitter ??= new Random(Guid.NewGuid().GetHashCode());
    }
}
