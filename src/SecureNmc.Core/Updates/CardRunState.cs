using System;
using System.Threading;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// The live state of one card in a run, shared between its worker and whoever asks to cancel.
    /// The lock makes "cancel" and "begin upload" mutually exclusive: either the cancel lands first
    /// and no byte is sent, or the upload began first and the cancel is refused with that reason.
    /// </summary>
    public sealed class CardRunState
    {
        private readonly object _gate = new object();
        private readonly CancellationTokenSource _cancel;
        private bool _noReturn;
        private bool _cancelRequested;
        private bool _finished;
        private DateTimeOffset _noReturnSince;

        internal CardRunState(UpdatePlan plan, CancellationToken runAbort)
        {
            Plan = plan;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(runAbort);
        }

        public UpdatePlan Plan { get; }
        public Guid DeviceId => Plan.DeviceId;
        public string DeviceName => Plan.DeviceName;
        public DeviceStatus Status { get; internal set; } = DeviceStatus.QueuedForUpdate;
        public int Attempt { get; internal set; }
        public int StepIndex { get; internal set; }
        public long BytesSent { get; internal set; }
        public long BytesTotal { get; internal set; }
        public bool IsFinished { get { lock (_gate) return _finished; } }
        public bool IsPastPointOfNoReturn { get { lock (_gate) return _noReturn; } }

        internal CancellationToken CancelToken => _cancel.Token;

        /// <summary>Set when a cancel arrived after the upload began (and so could not stop the card).</summary>
        public string? CancelRefusedReason { get; private set; }
        internal bool CancelRequested { get { lock (_gate) return _cancelRequested; } }

        /// <summary>Called right before the first byte of an upload; false when a cancel got there first.</summary>
        internal bool TryEnterNoReturn(DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_cancelRequested || _cancel.IsCancellationRequested) return false;
                _noReturn = true;
                _noReturnSince = now;
                return true;
            }
        }

        /// <summary>The step is verified (or failed): a cancel that waited for it now takes effect.</summary>
        internal void LeaveNoReturn()
        {
            bool cancelNow;
            lock (_gate)
            {
                _noReturn = false;
                cancelNow = _cancelRequested && !_finished;
            }
            if (cancelNow) _cancel.Cancel();
        }

        internal void MarkFinished()
        {
            lock (_gate) _finished = true;
        }

        internal CardCancellation RequestCancel()
        {
            lock (_gate)
            {
                if (_finished)
                    return new CardCancellation(DeviceId, DeviceName, false, $"{DeviceName} had already finished ({Status.ToText()}).");
                _cancelRequested = true;
                if (_noReturn)
                {
                    CancelRefusedReason = $"{DeviceName} is past the point of no return: its firmware upload began at {_noReturnSince:HH:mm:ss} UTC and it is {Status.ToText()}. It will be finished and verified; no further step will start.";
                    return new CardCancellation(DeviceId, DeviceName, false, CancelRefusedReason);
                }
            }
            _cancel.Cancel();
            return new CardCancellation(DeviceId, DeviceName, true, $"{DeviceName} stopped before any firmware was sent ({Status.ToText()}).");
        }

        internal void Dispose() => _cancel.Dispose();
    }

    /// <summary>What a cancel request did for one card.</summary>
    public sealed class CardCancellation
    {
        public CardCancellation(Guid deviceId, string deviceName, bool cancelled, string reason)
        {
            DeviceId = deviceId;
            DeviceName = deviceName;
            Cancelled = cancelled;
            Reason = reason;
        }

        public Guid DeviceId { get; }
        public string DeviceName { get; }

        /// <summary>True when the card stops without (further) firmware being sent.</summary>
        public bool Cancelled { get; }
        public string Reason { get; }

        public override string ToString() => Reason;
    }
}
