using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Core.Firmware
{
    /// <summary>
    /// Verified in-memory copies of packages, one per catalog entry, shared by everyone sending that
    /// package at the same time. A hundred cards taking the same package cost one read and one SHA-256,
    /// and because the copy is what was hashed, a file changed on disk afterwards cannot reach a card.
    /// <para>
    /// Reference-counted: the copy lives while someone holds it and is forgotten when the last holder
    /// lets go, so the next open reads and verifies the file again (a file altered between runs, or
    /// between waves of a run, is still caught). Concurrent first opens share one load: the first
    /// caller starts it on the thread pool and everyone awaits the same task; the lock only guards the
    /// bookkeeping, never the read or the hash.
    /// </para>
    /// <para>
    /// Memory is capped by a budget over all copies held at once. A package that does not fit right
    /// now is not waited for (an upload to a slow card can hold a copy for many minutes, so waiting
    /// for room could stall whole waves); the caller streams it from disk instead, verified per send
    /// as before. That costs a hash per upload and, on Unix, relies on the advisory lock between hash
    /// and send — the price of keeping memory bounded for fleets with many large packages in flight.
    /// </para>
    /// </summary>
    internal sealed class SharedFirmwareCopies
    {
        /// <summary>The largest byte array the runtime hands out; bigger packages always stream.</summary>
        private const long MaxArrayLength = 0x7FFFFFC7;

        private readonly object _gate = new object();
        private readonly Dictionary<string, SharedCopy> _copies = new Dictionary<string, SharedCopy>(StringComparer.Ordinal);
        private long _budgetBytes;
        private long _reservedBytes;

        public SharedFirmwareCopies(long budgetBytes)
        {
            BudgetBytes = budgetBytes;
        }

        public long BudgetBytes
        {
            get { lock (_gate) return _budgetBytes; }
            set
            {
                if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "The shared firmware memory budget cannot be negative; use 0 to stream every upload from disk.");
                lock (_gate) _budgetBytes = value;
            }
        }

        /// <summary>Bytes of all copies loaded or loading right now (each counted once, however many holders).</summary>
        public long ReservedBytes
        {
            get { lock (_gate) return _reservedBytes; }
        }

        /// <summary>
        /// Joins the copy of <paramref name="package"/>, starting <paramref name="readVerified"/> when there
        /// is none yet. Returns null when there is none and the package does not fit the budget now.
        /// </summary>
        public Hold? TryHold(FirmwarePackage package, Func<byte[]> readVerified)
        {
            var key = KeyOf(package);
            lock (_gate)
            {
                if (!_copies.TryGetValue(key, out var copy))
                {
                    if (package.Size > MaxArrayLength || _reservedBytes + package.Size > _budgetBytes) return null;
                    copy = new SharedCopy(key, package.Size);
                    _copies.Add(key, copy);
                    _reservedBytes += copy.Size;
                    copy.Bytes = Task.Run(() => Load(copy, readVerified));
                }
                copy.Holders++;
                return new Hold(this, copy);
            }
        }

        /// <summary>The catalog entry, not just the name: a different file imported under the same name is a different copy.</summary>
        private static string KeyOf(FirmwarePackage package) =>
            package.Sha256 + ":" + package.Size.ToString(CultureInfo.InvariantCulture) + ":" + package.FileName;

        private byte[] Load(SharedCopy copy, Func<byte[]> readVerified)
        {
            try
            {
                var bytes = readVerified();
                Loaded(copy, succeeded: true);
                return bytes;
            }
            catch
            {
                Loaded(copy, succeeded: false);
                throw;
            }
        }

        // Runs before the load task completes, so holders resuming from it see consistent bookkeeping.
        private void Loaded(SharedCopy copy, bool succeeded)
        {
            lock (_gate)
            {
                copy.LoadFinished = true;
                // A failed load is not remembered: whoever opens next reads the file afresh.
                if (!succeeded) Forget(copy);
                if (copy.Holders == 0) ReleaseBudget(copy);
            }
        }

        private void Release(SharedCopy copy)
        {
            lock (_gate)
            {
                if (--copy.Holders > 0) return;
                Forget(copy);
                // A load still running when its last waiter gave up keeps its bytes reserved until it ends.
                if (copy.LoadFinished) ReleaseBudget(copy);
            }
        }

        private void Forget(SharedCopy copy)
        {
            if (_copies.TryGetValue(copy.Key, out var current) && ReferenceEquals(current, copy)) _copies.Remove(copy.Key);
        }

        private void ReleaseBudget(SharedCopy copy)
        {
            if (copy.BudgetReleased) return;
            copy.BudgetReleased = true;
            _reservedBytes -= copy.Size;
        }

        internal sealed class SharedCopy
        {
            public SharedCopy(string key, long size)
            {
                Key = key;
                Size = size;
            }

            public string Key { get; }
            public long Size { get; }
            public Task<byte[]> Bytes { get; set; } = null!;
            public int Holders { get; set; }
            public bool LoadFinished { get; set; }
            public bool BudgetReleased { get; set; }
        }

        /// <summary>One holder's claim on a copy; disposing it (once) lets the copy go when it was the last.</summary>
        public sealed class Hold : IDisposable
        {
            private SharedFirmwareCopies? _owner;
            private readonly SharedCopy _copy;

            internal Hold(SharedFirmwareCopies owner, SharedCopy copy)
            {
                _owner = owner;
                _copy = copy;
            }

            /// <summary>The verified bytes, once loaded; the caller's token cancels only its own wait, never the shared load.</summary>
            public async Task<byte[]> GetBytesAsync(CancellationToken cancellationToken)
            {
                var load = _copy.Bytes;
                if (!load.IsCompleted && cancellationToken.CanBeCanceled)
                {
                    var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                    {
                        if (await Task.WhenAny(load, cancelled.Task).ConfigureAwait(false) != load)
                            throw new OperationCanceledException(cancellationToken);
                    }
                }
                return await load.ConfigureAwait(false);
            }

            public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release(_copy);
        }
    }
}
