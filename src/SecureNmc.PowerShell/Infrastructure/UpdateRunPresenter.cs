using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Updates;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>Where a presented update run goes: the cmdlet's pipeline, or a job's streams.</summary>
    internal interface IUpdateOutput
    {
        void WriteResult(PSObject result);
        void WriteError(ErrorRecord error);
        void WriteProgress(ProgressRecord progress);
        void WriteWarning(string text);
    }

    /// <summary>
    /// Turns engine events into what the user sees: one parent progress bar for the fleet (cards done
    /// of total, failures, time left), one child bar per active card (the seed's status wording,
    /// attempt, step, bytes), one result object per card as it finishes, and a non-terminating error
    /// with the card as target for each failure. Call it only from the thread that owns the output
    /// (the pipeline thread, or the job's pump thread writing into the job's thread-safe streams).
    /// </summary>
    internal sealed class UpdateRunPresenter
    {
        public const int ParentActivityId = 0x4E4D; // "NM": stays clear of ids other commands in the pipeline tend to use
        private const string ParentActivity = "Updating NMC firmware";
        private static readonly TimeSpan ParentRefreshInterval = TimeSpan.FromMilliseconds(500);

        private readonly UpdateRun _run;
        private readonly int _throttleLimit;
        private readonly bool _showProgress;
        private readonly IReadOnlyDictionary<Guid, NmcDevice> _devices;
        private readonly Dictionary<Guid, int> _childIds = new Dictionary<Guid, int>();
        private readonly Dictionary<Guid, CardStatusChanged> _lastStatus = new Dictionary<Guid, CardStatusChanged>();
        private DateTimeOffset _lastParent = DateTimeOffset.MinValue;

        public UpdateRunPresenter(UpdateRun run, int throttleLimit, bool showProgress, IEnumerable<NmcDevice> devices)
        {
            _run = run;
            _throttleLimit = throttleLimit;
            _showProgress = showProgress;
            _devices = devices.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First());
            for (var i = 0; i < run.Cards.Count; i++) _childIds[run.Cards[i].DeviceId] = ParentActivityId + 1 + i;
        }

        public int Failed { get; private set; }
        public int Finished { get; private set; }

        /// <summary>Results seen so far, in finishing order.</summary>
        public List<CardUpdateResult> Results { get; } = new List<CardUpdateResult>();

        public void Handle(UpdateEvent updateEvent, IUpdateOutput output)
        {
            switch (updateEvent)
            {
                case CardStatusChanged status:
                    _lastStatus[status.DeviceId] = status;
                    if (_showProgress && status.Status != DeviceStatus.QueuedForUpdate) output.WriteProgress(ChildRecord(status, null));
                    break;
                case CardTransferProgress bytes:
                    if (_showProgress && _lastStatus.TryGetValue(bytes.DeviceId, out var last)) output.WriteProgress(ChildRecord(last, bytes));
                    break;
                case CardFinished finished:
                    Present(finished.Result, output);
                    break;
            }
            RefreshParent(output, force: false);
        }

        /// <summary>Parent bar on a timer, so a quiet stretch (all cards restarting) still updates time left.</summary>
        public void RefreshParent(IUpdateOutput output, bool force)
        {
            if (!_showProgress) return;
            var now = DateTimeOffset.UtcNow;
            if (!force && now - _lastParent < ParentRefreshInterval) return;
            _lastParent = now;
            var p = _run.GetProgress(now, _throttleLimit);
            var record = new ProgressRecord(ParentActivityId, ParentActivity,
                string.Format(CultureInfo.InvariantCulture, "{0} of {1} cards done, {2} failed, {3} in progress", p.Finished, p.Total, p.Failed, p.Active))
            {
                PercentComplete = Math.Min(100, p.PercentComplete),
                SecondsRemaining = p.EstimatedRemaining.HasValue ? (int)Math.Ceiling(p.EstimatedRemaining.Value.TotalSeconds) : -1,
            };
            output.WriteProgress(record);
        }

        /// <summary>Closes the parent bar (and any child bar a cancelled card left open).</summary>
        public void Complete(IUpdateOutput output)
        {
            if (!_showProgress) return;
            foreach (var id in _lastStatus.Keys.ToList()) CloseChild(id, output);
            output.WriteProgress(new ProgressRecord(ParentActivityId, ParentActivity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void Present(CardUpdateResult result, IUpdateOutput output)
        {
            Finished++;
            Results.Add(result);
            CloseChild(result.DeviceId, output);
            output.WriteResult(UpdateResultView.Wrap(result));
            if (result.IsSuccess || result.Outcome == Core.Updates.CardOutcome.Skipped && result.Error == null) return;
            if (result.Outcome == Core.Updates.CardOutcome.Cancelled)
            {
                output.WriteWarning($"{result.DeviceName}: {result.Error ?? "cancelled before any firmware was sent"}.");
                return;
            }
            Failed++;
            _devices.TryGetValue(result.DeviceId, out var device);
            var message = $"{result.DeviceName} ({result.Host}): {result.StatusText}" + (result.Error != null ? $": {result.Error}" : ".");
            output.WriteError(NmcCmdlet.CreateError("FirmwareUpdateFailed", CategoryOf(result.Status), (object?)device ?? result.DeviceName, message,
                RecommendedAction(result.Status), null));
        }

        private void CloseChild(Guid deviceId, IUpdateOutput output)
        {
            if (!_showProgress || !_lastStatus.TryGetValue(deviceId, out var last)) return;
            _lastStatus.Remove(deviceId);
            var record = ChildRecord(last, null);
            record.RecordType = ProgressRecordType.Completed;
            output.WriteProgress(record);
        }

        private ProgressRecord ChildRecord(CardStatusChanged status, CardTransferProgress? bytes)
        {
            var text = status.Status.ToText();
            if (status.StepCount > 1) text += string.Format(CultureInfo.InvariantCulture, " (step {0} of {1})", status.StepIndex + 1, status.StepCount);
            if (status.Attempt > 1) text += string.Format(CultureInfo.InvariantCulture, " (attempt {0})", status.Attempt);
            var record = new ProgressRecord(_childIds.TryGetValue(status.DeviceId, out var id) ? id : ParentActivityId + 1, status.DeviceName, text)
            {
                ParentActivityId = ParentActivityId,
            };
            if (bytes != null && bytes.TotalBytes > 0)
            {
                record.PercentComplete = (int)Math.Min(100, bytes.BytesTransferred * 100 / bytes.TotalBytes);
                record.CurrentOperation = string.Format(CultureInfo.InvariantCulture, "{0}: {1:N0} of {2:N0} KiB", bytes.FileName, bytes.BytesTransferred / 1024, bytes.TotalBytes / 1024);
            }
            else if (!string.IsNullOrEmpty(status.Detail))
            {
                record.CurrentOperation = status.Detail;
            }
            return record;
        }

        private static ErrorCategory CategoryOf(DeviceStatus status)
        {
            switch (status)
            {
                case DeviceStatus.IncorrectCredentials: return ErrorCategory.AuthenticationError;
                case DeviceStatus.FirmwareUnavailable: return ErrorCategory.ObjectNotFound;
                case DeviceStatus.NotAccessible: return ErrorCategory.ConnectionError;
                default: return ErrorCategory.InvalidResult;
            }
        }

        private static string? RecommendedAction(DeviceStatus status)
        {
            switch (status)
            {
                case DeviceStatus.IncorrectCredentials: return "Store working credentials with Set-NmcDevice -Credential and run the update again.";
                case DeviceStatus.FirmwareUnavailable: return "Import the package with Import-NmcFirmware (or Get-NmcFirmware -Refresh) and run the update again.";
                default: return "Run Invoke-NmcFirmwareUpdate again for this card: finished cards are skipped, and a card that was mid-update is verified before anything is sent.";
            }
        }
    }

    /// <summary>
    /// The result object written per card: Core's <see cref="CardUpdateResult"/> with a Name and Id
    /// alias so it pipes onward (`... | Get-NmcDevice`, `... | Invoke-NmcFirmwareUpdate`).
    /// </summary>
    internal static class UpdateResultView
    {
        public static PSObject Wrap(CardUpdateResult result)
        {
            var wrapped = PSObject.AsPSObject(result);
            wrapped.Properties.Add(new PSAliasProperty("Name", nameof(CardUpdateResult.DeviceName)));
            wrapped.Properties.Add(new PSAliasProperty("Id", nameof(CardUpdateResult.DeviceId)));
            return wrapped;
        }
    }
}
