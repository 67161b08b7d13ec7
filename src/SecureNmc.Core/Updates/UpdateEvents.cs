using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>Something that happened in a run; raised on worker threads.</summary>
    public abstract class UpdateEvent
    {
        protected UpdateEvent(Guid runId, DateTimeOffset time)
        {
            RunId = runId;
            Time = time;
        }

        public Guid RunId { get; }
        public DateTimeOffset Time { get; }
    }

    /// <summary>A card moved to a new seed status (Queued for Update, Preparing Device...).</summary>
    public sealed class CardStatusChanged : UpdateEvent
    {
        public CardStatusChanged(Guid runId, DateTimeOffset time, Guid deviceId, string deviceName, DeviceStatus status, int attempt, int stepIndex, int stepCount, string? detail)
            : base(runId, time)
        {
            DeviceId = deviceId;
            DeviceName = deviceName;
            Status = status;
            Attempt = attempt;
            StepIndex = stepIndex;
            StepCount = stepCount;
            Detail = detail;
        }

        public Guid DeviceId { get; }
        public string DeviceName { get; }
        public DeviceStatus Status { get; }
        public int Attempt { get; }
        public int StepIndex { get; }
        public int StepCount { get; }
        public string? Detail { get; }
    }

    /// <summary>Upload bytes for the card's child progress bar (coalesced).</summary>
    public sealed class CardTransferProgress : UpdateEvent
    {
        public CardTransferProgress(Guid runId, DateTimeOffset time, Guid deviceId, string deviceName, string fileName, long bytes, long total)
            : base(runId, time)
        {
            DeviceId = deviceId;
            DeviceName = deviceName;
            FileName = fileName;
            BytesTransferred = bytes;
            TotalBytes = total;
        }

        public Guid DeviceId { get; }
        public string DeviceName { get; }
        public string FileName { get; }
        public long BytesTransferred { get; }
        public long TotalBytes { get; }
    }

    public sealed class CardFinished : UpdateEvent
    {
        public CardFinished(Guid runId, DateTimeOffset time, CardUpdateResult result) : base(runId, time) => Result = result;
        public CardUpdateResult Result { get; }
    }

    public sealed class RunFinished : UpdateEvent
    {
        public RunFinished(Guid runId, DateTimeOffset time, IReadOnlyList<CardUpdateResult> results) : base(runId, time) => Results = results;
        public IReadOnlyList<CardUpdateResult> Results { get; }
    }

    /// <summary>Receives events on worker threads; must return quickly and never call PowerShell.</summary>
    public interface IUpdateObserver
    {
        void OnEvent(UpdateEvent updateEvent);
    }

    /// <summary>
    /// The hand-off to the pipeline thread: workers enqueue, the cmdlet drains with
    /// <see cref="TryTake"/> in its own loop and writes progress, results and errors.
    /// </summary>
    public sealed class UpdateEventQueue : IUpdateObserver, IDisposable
    {
        private readonly BlockingCollection<UpdateEvent> _queue = new BlockingCollection<UpdateEvent>(new ConcurrentQueue<UpdateEvent>());

        public void OnEvent(UpdateEvent updateEvent)
        {
            try { _queue.Add(updateEvent); }
            catch (InvalidOperationException) { } // completed: the reader has gone
        }

        /// <summary>Waits up to <paramref name="timeout"/> for the next event; false on timeout.</summary>
        public bool TryTake(out UpdateEvent? updateEvent, TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            try
            {
                return _queue.TryTake(out updateEvent, (int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds)), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                updateEvent = null;
                return false;
            }
        }

        public int Count => _queue.Count;

        public void Dispose() => _queue.Dispose();
    }
}
