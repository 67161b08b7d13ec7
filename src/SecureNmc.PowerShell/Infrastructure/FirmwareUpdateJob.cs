using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Updates;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Invoke-NmcFirmwareUpdate -AsJob: a real PowerShell job. A pump thread of its own drains the
    /// engine's event queue into the job's streams (Output: one result per card; Error: one record per
    /// failed card; Progress: the parent and per-card bars; Warning: cancellations), which are
    /// thread-safe collections meant to be filled from outside the pipeline; Receive-Job replays them.
    /// Stop-Job and Stop-NmcFirmwareUpdate cancel with the engine's point-of-no-return rules: the job
    /// ends only when cards past it are finished and verified.
    /// </summary>
    public sealed class FirmwareUpdateJob : Job2, IUpdateOutput
    {
        private static readonly TimeSpan PumpWait = TimeSpan.FromMilliseconds(200);

        private readonly Func<IUpdateObserver, UpdateRun> _startRun;
        private readonly IReadOnlyList<NmcDevice> _devices;
        private readonly int _throttleLimit;
        private readonly Action<IReadOnlyList<CardUpdateResult>> _onFinished;
        private readonly UpdateEventQueue _queue = new UpdateEventQueue();
        private readonly ManualResetEventSlim _done = new ManualResetEventSlim(false);
        private UpdateRun? _run;
        private UpdatePresenterHolder? _presenter;
        private volatile bool _stopRequested;

        internal FirmwareUpdateJob(string command, string name, Func<IUpdateObserver, UpdateRun> startRun, IReadOnlyList<NmcDevice> devices,
            int throttleLimit, Action<IReadOnlyList<CardUpdateResult>> onFinished)
            : base(command, name)
        {
            _startRun = startRun;
            _devices = devices;
            _throttleLimit = throttleLimit;
            _onFinished = onFinished;
            PSJobTypeName = FirmwareUpdateJobSourceAdapter.AdapterName;
        }

        /// <summary>The engine run behind this job (null until started).</summary>
        public UpdateRun? Run => _run;

        internal bool IsDone => _done.IsSet;

        public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Warning.Count > 0 || Verbose.Count > 0;

        public override string Location => Environment.MachineName;

        public override string StatusMessage
        {
            get
            {
                var run = _run;
                if (run == null) return "";
                var p = run.GetProgress(DateTimeOffset.UtcNow, _throttleLimit);
                return $"{p.Finished} of {p.Total} cards done, {p.Failed} failed";
            }
        }

        public override void StartJob()
        {
            if (JobStateInfo.State != JobState.NotStarted) throw new InvalidOperationException($"Job {Name} has already been started.");
            SetJobState(JobState.Running);
            try
            {
                _run = _startRun(_queue);
            }
            catch (Exception ex)
            {
                Error.Add(NmcCmdlet.CreateError("FirmwareUpdateNotStarted", ErrorCategory.InvalidOperation, null, ex.Message, null, ex));
                Finish(JobState.Failed, ex);
                return;
            }
            _presenter = new UpdatePresenterHolder(new UpdateRunPresenter(_run, _throttleLimit, showProgress: true, _devices));
            var pump = new Thread(Pump) { IsBackground = true, Name = "SecureNmc firmware job " + Id };
            pump.Start();
        }

        public override void StartJobAsync() => StartJob();

        public override void StopJob() => StopJob(false, null);

        public override void StopJobAsync() => new Thread(() => StopJob()) { IsBackground = true }.Start();

        public override void StopJob(bool force, string? reason)
        {
            if (_done.IsSet) return;
            var cancellations = RequestCancel(null);
            foreach (var refused in cancellations.Where(c => !c.Cancelled))
                Warning.Add(new WarningRecord($"{refused.DeviceName} could not be cancelled: {refused.Reason}"));
            _done.Wait();
        }

        public override void StopJobAsync(bool force, string? reason) => new Thread(() => StopJob(force, reason)) { IsBackground = true }.Start();

        /// <summary>Stop-NmcFirmwareUpdate: cancels some or all cards; the job keeps running until cards past the point of no return are finished.</summary>
        internal IReadOnlyList<CardCancellation> RequestCancel(IEnumerable<Guid>? deviceIds)
        {
            if (deviceIds == null) _stopRequested = true;
            var run = _run;
            if (run == null)
            {
                if (JobStateInfo.State == JobState.NotStarted) Finish(JobState.Stopped, null);
                return Array.Empty<CardCancellation>();
            }
            return run.RequestCancel(deviceIds);
        }

        public override void SuspendJob() => throw new PSNotSupportedException("A firmware update job cannot be suspended: a card being flashed must be finished. Use Stop-Job to cancel what has not started.");
        public override void SuspendJobAsync() => SuspendJob();
        public override void SuspendJob(bool force, string? reason) => SuspendJob();
        public override void SuspendJobAsync(bool force, string? reason) => SuspendJob();
        public override void ResumeJob() => throw new PSNotSupportedException("A firmware update job is never suspended, so there is nothing to resume.");
        public override void ResumeJobAsync() => ResumeJob();
        public override void UnblockJob() => throw new PSNotSupportedException("A firmware update job never blocks waiting for input.");
        public override void UnblockJobAsync() => UnblockJob();

        private void Pump()
        {
            var run = _run!;
            var presenter = _presenter!.Presenter;
            try
            {
                while (true)
                {
                    if (_queue.TryTake(out var e, PumpWait) && e != null) presenter.Handle(e, this);
                    else if (run.Completion.IsCompleted && _queue.Count == 0) break;
                    else presenter.RefreshParent(this, force: false);
                }
                presenter.Complete(this);
                var results = run.Completion.GetAwaiter().GetResult();
                try { _onFinished(results); }
                catch (Exception ex) { Warning.Add(new WarningRecord("The inventory could not be updated with the results: " + ex.Message)); }
                Finish(_stopRequested ? JobState.Stopped : (presenter.Failed > 0 ? JobState.Failed : JobState.Completed), null);
            }
            catch (Exception ex)
            {
                Error.Add(NmcCmdlet.CreateError("FirmwareUpdateRunFailed", ErrorCategory.InvalidOperation, null, ex.Message, null, ex));
                Finish(JobState.Failed, ex);
            }
        }

        private void Finish(JobState state, Exception? reason)
        {
            if (_done.IsSet) return;
            SetJobState(state);
            _done.Set();
            // The queue is not disposed here: after a pump failure the engine may still report events into it.
        }

        void IUpdateOutput.WriteResult(PSObject result) => Output.Add(result);
        void IUpdateOutput.WriteError(ErrorRecord error) => Error.Add(error);
        void IUpdateOutput.WriteProgress(ProgressRecord progress) => Progress.Add(progress);
        void IUpdateOutput.WriteWarning(string text) => Warning.Add(new WarningRecord(text));

        protected override void Dispose(bool disposing)
        {
            if (disposing) _done.Dispose();
            base.Dispose(disposing);
        }

        /// <summary>Set once in StartJob, read by the pump thread.</summary>
        private sealed class UpdatePresenterHolder
        {
            public UpdatePresenterHolder(UpdateRunPresenter presenter) => Presenter = presenter;
            public UpdateRunPresenter Presenter { get; }
        }
    }
}
