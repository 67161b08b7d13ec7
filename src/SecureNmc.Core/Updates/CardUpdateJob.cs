using System;
using System.Linq;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// One card's update: Queued for Update -> Preparing Device -> Backing Up Device -> (per step:
    /// Updating Bootloader -> Updating Firmware -> Restarting Interface -> Verifying Update) ->
    /// Update Complete; failures go to Retrying Update with back-off, then Update Error.
    /// </summary>
    internal sealed class CardUpdateJob
    {
        private readonly FirmwareUpdateEngine.RunContext _run;
        private readonly CardRunState _card;
        private readonly UpdatePlan _plan;
        private readonly NmcDevice _device;
        private readonly CardUpdateResult _result;
        private readonly HashSet<int> _flashedThisRun = new HashSet<int>();
        private readonly HashSet<string> _warnedReasons = new HashSet<string>(StringComparer.Ordinal);
        private DateTimeOffset _started;

        public CardUpdateJob(FirmwareUpdateEngine.RunContext run, CardRunState card)
        {
            _run = run;
            _card = card;
            _plan = card.Plan;
            _device = card.Plan.Device;
            _result = new CardUpdateResult
            {
                DeviceId = _plan.DeviceId,
                DeviceName = _plan.DeviceName,
                Host = _device.Host,
                FromApplicationType = _plan.FromApplicationType,
                FromVersion = _plan.FromVersion,
                ToApplicationType = _plan.ToApplicationType,
                ToVersion = _plan.ToVersion,
                StepCount = _plan.Steps.Count,
                Status = _plan.Status,
            };
        }

        public async Task<CardUpdateResult> RunAsync()
        {
            if (!_plan.IsActionable)
                return await _run.FinishAsync(_card, Finish(CardOutcome.Skipped, _plan.Status, _plan.Reason)).ConfigureAwait(false);

            try
            {
                await _run.Throttle.WaitAsync(_card.CancelToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return await _run.FinishAsync(_card, Cancelled("cancelled while queued; nothing was done.")).ConfigureAwait(false);
            }
            try
            {
                // The result is on disk before the slot is freed, so at most ThrottleLimit cards are ever unfinished and started.
                return await _run.FinishAsync(_card, await WorkAsync().ConfigureAwait(false)).ConfigureAwait(false);
            }
            finally
            {
                _run.Throttle.Release();
            }
        }

        /// <summary>The card's work while it holds a throttle slot; returns its concluded (not yet recorded) result.</summary>
        private async Task<CardUpdateResult> WorkAsync()
        {
            try
            {
                // A slot freed by a cancelled card can be taken just as this card is cancelled too:
                // it has done nothing yet, so it counts as cancelled while queued.
                if (_card.CancelToken.IsCancellationRequested)
                    return Cancelled("cancelled while queued; nothing was done.");
                _started = _run.Clock.UtcNow;
                if (!_run.TryClaim(_device, out var otherRun))
                    return Finish(CardOutcome.Failed, DeviceStatus.UpdateError, $"{_plan.DeviceName} ({_device.Host}) is already being updated by another run ({otherRun}) in this session; one connection per card.");
                try
                {
                    return await AttemptLoopAsync().ConfigureAwait(false);
                }
                finally
                {
                    _run.ReleaseClaim(_device);
                }
            }
            catch (Exception ex)
            {
                // Nothing may escape a card job: a bug here must not take the other cards down.
                _run.Logger.LogError(ex, "{Device}: update job failed unexpectedly", _plan.DeviceName);
                return Finish(CardOutcome.Failed, DeviceStatus.UpdateError, $"{_plan.DeviceName}: unexpected {ex.GetType().Name}: {ex.Message}");
            }
        }

        private async Task<CardUpdateResult> AttemptLoopAsync()
        {
            var options = _run.Options;
            var previous = _run.PreviousState(_plan.DeviceId);
            var waitForReturnFirst = previous != null && previous.WasMidUpdate;
            var resumedPackage = waitForReturnFirst ? previous!.Package : null;
            var resumingFromJournal = waitForReturnFirst;
            var backupDone = !_plan.BackupBeforeUpdate;
            var usedBefore = AttemptsUsedBefore(previous);

            for (int attempt = usedBefore + 1; ; attempt++)
            {
                _card.Attempt = attempt;
                _result.Attempts = attempt;
                try
                {
                    if (waitForReturnFirst)
                    {
                        _run.SetStatus(_card, DeviceStatus.RestartingInterface, resumingFromJournal
                            ? $"the previous run stopped while this card was {previous!.StatusText} ({previous.Package}); waiting for it to answer and verifying it before anything else"
                            : $"{resumedPackage} was sent before the last failure; waiting for the card to answer and verifying it before anything is sent again");
                        _card.StepIndex = 0;
                        var back = await _run.Waiter.WaitAsync(_device, null, _card.CancelToken).ConfigureAwait(false);
                        Reached(back);
                        waitForReturnFirst = false;
                    }

                    _run.SetStatus(_card, DeviceStatus.PreparingDevice, null);
                    var live = await _run.Versions.ReadAsync(_device, _card.CancelToken).ConfigureAwait(false);
                    Reached(live);
                    var next = NextStep(live, resumedPackage, out var doneStatus);
                    if (next >= _plan.Steps.Count)
                    {
                        if (_flashedThisRun.Count > 0) return Complete();
                        if (resumedPackage != null && string.Equals(resumedPackage, _plan.Steps[_plan.Steps.Count - 1].Package.FileName, StringComparison.OrdinalIgnoreCase))
                            return Complete($"{_plan.DeviceName} took {resumedPackage} in an interrupted attempt or run; verified now at {live}. Nothing was sent again.");
                        return Finish(CardOutcome.Skipped, doneStatus,
                            doneStatus == DeviceStatus.AtCurrentVersion
                                ? $"{_plan.DeviceName} already runs {live}; nothing was sent."
                                : $"{_plan.DeviceName} now runs {live}, newer than the target; nothing was sent.");
                    }
                    if (attempt > options.MaxAttempts)
                    {
                        // An interrupted run already used every attempt on this plan: verifying its last
                        // upload was allowed, sending again is not.
                        _result.Attempts = options.MaxAttempts;
                        return Finish(CardOutcome.Failed, DeviceStatus.UpdateError,
                            $"{_plan.DeviceName} still runs {live}: the interrupted run had already used all {options.MaxAttempts} attempts on this update, so nothing was sent again (gave up after {options.MaxAttempts} attempts). Check the card, then run the update again to start a new set of attempts.");
                    }

                    if (!backupDone)
                    {
                        _run.SetStatus(_card, DeviceStatus.BackingUpDevice, null);
                        _result.BackupPath = await DeviceBackup.RunAsync(_device, _run.Sessions,
                            options.DeviceBackupFolder?.Invoke(_device) ?? DeviceBackup.DefaultDeviceFolder(options.BackupFolder, _device), _run.Clock.UtcNow, _card.CancelToken).ConfigureAwait(false);
                        backupDone = true;
                        _run.SetStatus(_card, DeviceStatus.BackingUpDevice, "backed up to " + _result.BackupPath);
                    }

                    for (int i = next; i < _plan.Steps.Count; i++)
                    {
                        _card.StepIndex = i;
                        live = await RunStepAsync(_plan.Steps[i], live).ConfigureAwait(false);
                        _flashedThisRun.Add(i);
                        _result.StepsCompleted = i + 1;
                    }
                    return Complete();
                }
                catch (OperationCanceledException) when (_card.CancelToken.IsCancellationRequested)
                {
                    var where = _flashedThisRun.Count > 0
                        ? $"stopped after step {_result.StepsCompleted} of {_plan.Steps.Count}; the card was verified at {_result.ReachedVersion} and is consistent."
                        : "stopped before any firmware was sent.";
                    return Cancelled(_run.Abort.IsCancellationRequested ? "the run was aborted; " + where : where);
                }
                catch (Exception ex)
                {
                    var failure = CardFailure.Classify(ex, _plan.DeviceName);
                    if (_card.IsPastPointOfNoReturn)
                    {
                        // The failure came after firmware was sent: the next attempt first waits for the card and verifies it.
                        _card.LeaveNoReturn();
                        waitForReturnFirst = true;
                        resumedPackage = _plan.Steps[_card.StepIndex].Package.FileName;
                        resumingFromJournal = false;
                    }
                    LogFailedAttempt(attempt, failure);
                    if (!failure.Retryable || attempt >= options.MaxAttempts)
                    {
                        var reason = failure.Retryable ? $"{failure.Message} (gave up after {attempt} attempt{(attempt == 1 ? "" : "s")})" : failure.Message;
                        return Finish(CardOutcome.Failed, failure.Status, reason);
                    }
                    _run.SetStatus(_card, DeviceStatus.RetryingUpdate, $"attempt {attempt} of {options.MaxAttempts} failed: {failure.Message}");
                    try
                    {
                        await _run.Clock.Delay(RetryDelay(attempt), _card.CancelToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return Cancelled($"cancelled while waiting to retry after: {failure.Message}");
                    }
                }
            }
        }

        /// <summary>
        /// How many attempts an interrupted earlier run (a killed process) already spent on this same
        /// plan, so a resume continues the count instead of granting a fresh set: the journal's last
        /// record says which attempt it was in and whether its upload had begun. A finished earlier run
        /// (the admin ran the update again on purpose) or another target starts from one.
        /// </summary>
        private int AttemptsUsedBefore(CardJournalState? previous)
        {
            if (previous == null || previous.Finished || previous.Attempt <= 0 || previous.Package == null) return 0;
            if (!_plan.Steps.Any(s => string.Equals(s.Package.FileName, previous.Package, StringComparison.OrdinalIgnoreCase))) return 0;
            // Its upload had begun, or it failed and was waiting to retry: that attempt is spent.
            bool spent = previous.WasMidUpdate || previous.Status == DeviceStatus.RetryingUpdate;
            return spent ? previous.Attempt : previous.Attempt - 1;
        }

        /// <summary>Upload one package, wait for the restart, verify. Returns what the card reports afterwards.</summary>
        private async Task<DeviceVersions> RunStepAsync(UpdateStep step, DeviceVersions live)
        {
            _card.CancelToken.ThrowIfCancellationRequested();
            using (var firmware = await _run.Firmware.OpenVerifiedAsync(step.Package, _card.CancelToken).ConfigureAwait(false))
            {
                EnsureFits(step, firmware.Package, live);
                if (step.UpdatesBootloader)
                    _run.SetStatus(_card, DeviceStatus.UpdatingBootloader,
                        $"{step.Package.FileName} carries bootloader {step.Package.BootloaderVersion}; the card has {(_device.BootloaderVersion ?? "an unknown version")}");

                var session = await _run.Sessions.OpenAsync(_device, _card.CancelToken).ConfigureAwait(false);
                try
                {
                    if (!_card.TryEnterNoReturn(_run.Clock.UtcNow))
                        throw new OperationCanceledException(_card.CancelToken);
                    // On disk before the first byte goes out: a resumed run must know this card may be mid-flash.
                    await _run.SetStatusDurablyAsync(_card, DeviceStatus.UpdatingFirmware, $"uploading {step.Package.FileName} ({step.Package.Size} bytes)").ConfigureAwait(false);
                    var progress = new CoalescingProgress(_run, _card, step.Package.FileName, firmware.Length, _run.Options.ProgressReportsPerUpload);
                    await session.UploadAsync(step.Package.FileName, firmware.Content, firmware.Length, progress, _run.Abort).ConfigureAwait(false);
                    _result.PassedPointOfNoReturn = true;
                    try { await session.CloseAsync(_run.Abort).ConfigureAwait(false); }
                    catch (FileTransferException) { } // the card is already restarting and may drop us
                }
                finally
                {
                    session.Dispose();
                }
            }

            _run.SetStatus(_card, DeviceStatus.RestartingInterface, null);
            var after = await _run.Waiter.WaitAsync(_device, live, _run.Abort).ConfigureAwait(false);
            _run.SetStatus(_card, DeviceStatus.VerifyingUpdate, null);
            var verified = await ReadBackAsync(after).ConfigureAwait(false);
            Reached(verified);
            if (verified.ApplicationType != step.ApplicationType || verified.ApplicationVersion != step.Version)
                throw new UpdateVerificationException(
                    $"{_plan.DeviceName} restarted running {verified}, not {ApplicationVersionText.Format(step.ApplicationType, step.Version)}: the card did not take {step.Package.FileName}.");
            if (step.UpdatesBootloader && verified.BootloaderVersion.HasValue && verified.BootloaderVersion.Value < step.Package.BootloaderVersion!.Value)
                throw new UpdateVerificationException(
                    $"{_plan.DeviceName} restarted with bootloader {verified.BootloaderVersion}, older than the {step.Package.BootloaderVersion} in {step.Package.FileName}.");
            _card.LeaveNoReturn();
            return verified;
        }

        /// <summary>
        /// Reads the versions once more to verify. A link that drops again just after the card came back
        /// (a flapping link) must not fail an update the card has taken: then the versions the card
        /// reported when it came back, moments ago, are the evidence.
        /// </summary>
        private async Task<DeviceVersions> ReadBackAsync(DeviceVersions cameBackWith)
        {
            try
            {
                return await _run.Versions.ReadAsync(_device, _run.Abort).ConfigureAwait(false);
            }
            catch (FileTransferException ex) when (ex.IsTransient)
            {
                _run.Options.Logger.LogInformation("{Device} dropped again while being verified ({Reason}); verifying with the versions it reported on coming back.", _plan.DeviceName, ex.Kind);
                return cameBackWith;
            }
        }

        /// <summary>Wrong-type firmware is never sent: the package's own name must fit the card as it is now.</summary>
        private void EnsureFits(UpdateStep step, FirmwarePackage package, DeviceVersions live)
        {
            var name = FirmwarePackageName.Parse(package.FileName);
            if (name.Hardware != _plan.Hardware || name.Hardware != HardwarePlatform.Nmc3)
                throw new WrongFirmwareException($"{package.FileName} is for hardware hw{name.Hardware:00}, but {_plan.DeviceName} is hw{_plan.Hardware:00}; it was not sent.");
            var typeChangeAllowedHere = step.ChangesApplicationType && live.ApplicationType == _plan.FromApplicationType &&
                                        name.ApplicationType == _plan.ToApplicationType && ApplicationTypeInfo.CanChange(live.ApplicationType, name.ApplicationType);
            if (name.ApplicationType != live.ApplicationType && !typeChangeAllowedHere)
                throw new WrongFirmwareException(
                    $"{package.FileName} is {ApplicationVersionText.Code(name.ApplicationType)} firmware, but {_plan.DeviceName} runs {ApplicationVersionText.Code(live.ApplicationType)}; it was not sent.");
            if (name.ApplicationType != step.ApplicationType || name.Version != step.Version)
                throw new WrongFirmwareException($"{package.FileName} is not the package the plan names for step {step.Index + 1}; it was not sent.");
        }

        /// <summary>
        /// The first step the card still needs, judged from what it reports now, so nothing already
        /// installed is flashed again; Steps.Count when it needs none (with the status to report).
        /// </summary>
        private int NextStep(DeviceVersions live, string? resumedPackage, out DeviceStatus doneStatus)
        {
            doneStatus = DeviceStatus.AtCurrentVersion;
            var last = _plan.Steps[_plan.Steps.Count - 1];
            var from = _plan.FromApplicationType!.Value;
            var to = _plan.ToApplicationType!.Value;
            var upgrade = _plan.ToVersion > _plan.FromVersion || from != to;
            var reinstall = from == to && _plan.ToVersion == _plan.FromVersion;

            if (live.ApplicationType != from && live.ApplicationType != to)
                throw new DeviceChangedException($"{_plan.DeviceName} now runs {live}, neither the {ApplicationVersionText.Code(from)} it was planned from nor the target; query it again (Get-NmcDevice -Refresh) before updating.");

            if (live.ApplicationType == to && live.ApplicationVersion == last.Version && !BootloaderBehind(last, live))
            {
                var alreadyFlashed = _flashedThisRun.Contains(last.Index) ||
                                     string.Equals(resumedPackage, last.Package.FileName, StringComparison.OrdinalIgnoreCase);
                if (!reinstall || alreadyFlashed) return _plan.Steps.Count;
                return 0;
            }
            if (upgrade && live.ApplicationType == to && live.ApplicationVersion > last.Version && from == to)
            {
                doneStatus = DeviceStatus.NewerFirmwareInstalled;
                return _plan.Steps.Count;
            }
            if (live.ApplicationType == from && _plan.FromVersion.HasValue && live.ApplicationVersion < _plan.FromVersion.Value)
                throw new DeviceChangedException($"{_plan.DeviceName} now runs {live}, older than the {_plan.FromVersion} it was planned from; query it again (Get-NmcDevice -Refresh) so the upgrade path is rebuilt.");
            if (!upgrade) return 0; // a named downgrade or reinstall is a single step

            for (int i = 0; i < _plan.Steps.Count; i++)
            {
                var s = _plan.Steps[i];
                var satisfied = live.ApplicationType == s.ApplicationType && live.ApplicationVersion >= s.Version &&
                                !(live.ApplicationVersion == s.Version && BootloaderBehind(s, live));
                if (!satisfied) return i;
            }
            return _plan.Steps.Count;
        }

        /// <summary>
        /// A warning only for what the admin must look at (<see cref="CardFailure.NeedsAttention"/>), and
        /// once per card and reason: a card that never comes back fails every attempt the same way, and
        /// saying so three times adds nothing. Everything else is a verbose line.
        /// </summary>
        private void LogFailedAttempt(int attempt, CardFailure failure)
        {
            if (failure.NeedsAttention && _warnedReasons.Add(failure.Message))
                _run.Logger.LogWarning("{Device}: attempt {Attempt} failed: {Reason}", _plan.DeviceName, attempt, failure.Message);
            else
                _run.Logger.LogInformation("{Device}: attempt {Attempt} failed: {Reason}", _plan.DeviceName, attempt, failure.Message);
        }

        /// <summary>The step brings a bootloader the card (which reports one) does not have yet.</summary>
        private static bool BootloaderBehind(UpdateStep step, DeviceVersions live) =>
            step.UpdatesBootloader && live.BootloaderVersion.HasValue && step.Package.BootloaderVersion.HasValue &&
            live.BootloaderVersion.Value < step.Package.BootloaderVersion.Value;

        private TimeSpan RetryDelay(int attempt)
        {
            var o = _run.Options;
            var ticks = o.RetryDelayInitial.Ticks * Math.Pow(2, attempt - 1);
            return ticks >= o.RetryDelayMax.Ticks ? o.RetryDelayMax : TimeSpan.FromTicks((long)ticks);
        }

        /// <summary>What the card reported at its latest read; the inventory stores it after the run (the truth, not the plan).</summary>
        private void Reached(DeviceVersions v)
        {
            _result.ReachedApplicationType = v.ApplicationType;
            _result.ReachedVersion = v.ApplicationVersion;
            _result.ReachedAosVersion = v.AosVersion;
            _result.ReachedBootloaderVersion = v.BootloaderVersion;
            _result.ReadBack = v.Identity;
            _result.ReadBackTime = _run.Clock.UtcNow;
        }

        private CardUpdateResult Complete(string? note = null)
        {
            _result.StepsCompleted = _plan.Steps.Count;
            return Finish(CardOutcome.Updated, DeviceStatus.UpdateComplete, note);
        }

        private CardUpdateResult Cancelled(string why)
        {
            // A cancelled card keeps the status it had before the run: it still needs the update.
            return Finish(CardOutcome.Cancelled, DeviceStatus.ReadyForUpdate, $"{_plan.DeviceName}: {why}");
        }

        /// <summary>Concludes the result (the caller records it with <c>FinishAsync</c>).</summary>
        private CardUpdateResult Finish(CardOutcome outcome, DeviceStatus status, string? error)
        {
            _result.Outcome = outcome;
            _result.Status = status;
            _result.Error = error;
            _result.Duration = _started == default ? TimeSpan.Zero : _run.Clock.UtcNow - _started;
            _result.CancelRefusedReason = _card.CancelRefusedReason;
            if (outcome == CardOutcome.Updated || outcome == CardOutcome.Failed)
                _run.SetStatus(_card, status, error);
            return _result;
        }

        /// <summary>Forwards upload progress synchronously, about <c>reports</c> times per file.</summary>
        private sealed class CoalescingProgress : IProgress<TransferProgress>
        {
            private readonly FirmwareUpdateEngine.RunContext _run;
            private readonly CardRunState _card;
            private readonly string _fileName;
            private readonly long _total;
            private readonly long _stride;
            private long _nextReport;

            public CoalescingProgress(FirmwareUpdateEngine.RunContext run, CardRunState card, string fileName, long total, int reports)
            {
                _run = run;
                _card = card;
                _fileName = fileName;
                _total = total;
                _stride = Math.Max(1, total / Math.Max(1, reports));
            }

            public void Report(TransferProgress value)
            {
                var bytes = value.BytesTransferred;
                if (bytes < _nextReport && bytes < _total) return;
                _nextReport = bytes + _stride;
                _run.ReportBytes(_card, _fileName, bytes, _total);
            }
        }
    }
}
