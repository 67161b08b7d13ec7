using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Updates;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Takes cards to current firmware, concurrently: plans each card (intermediate versions, no
    /// major skips), then runs Core's update engine (backup, bootloader, upload, restart, verify,
    /// retries, journal). Workers never touch PowerShell: the pipeline thread drains the engine's
    /// events into progress bars, one result per card, and one error per failed card.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "NmcFirmwareUpdate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = LatestSet)]
    [OutputType(typeof(CardUpdateResult), typeof(FirmwareUpdateJob))]
    public sealed class InvokeNmcFirmwareUpdateCommand : NmcCmdlet
    {
        private const string LatestSet = "Latest";
        private const string ChangeTypeSet = "ChangeApplicationType";
        private static readonly TimeSpan DrainWait = TimeSpan.FromMilliseconds(200);
        private static int _jobNumber;

        private DeviceArguments? _arguments;
        private readonly List<NmcDevice> _devices = new List<NmcDevice>();

        /// <summary>Cards to update; none = every eligible card in the inventory, after confirmation.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[]? Device { get; set; }

        /// <summary>Target version instead of the latest for each card's application type and hardware.</summary>
        [Parameter]
        public string? Version { get; set; }

        /// <summary>Reinstall the target version even where it is installed (one step, never a major change).</summary>
        [Parameter(ParameterSetName = LatestSet)]
        public SwitchParameter Reinstall { get; set; }

        /// <summary>The application type to change the cards to (with -ChangeApplicationType).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ChangeTypeSet)]
        public ApplicationType ApplicationType { get; set; }

        /// <summary>Allows the application type change: it resets the card to factory settings.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ChangeTypeSet)]
        public SwitchParameter ChangeApplicationType { get; set; }

        /// <summary>Cards worked at once; default the ConcurrentRequests setting.</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int ThrottleLimit { get; set; }

        /// <summary>Runs the update as a PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job).</summary>
        [Parameter]
        public SwitchParameter AsJob { get; set; }

        /// <summary>Skips the confirmation prompts (not -WhatIf).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (Device == null) return;
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            foreach (var argument in Device)
                _devices.AddRange(ResolveOrReport(_arguments, argument, "Check the name with Get-NmcDevice, or add it with Add-NmcDevice."));
        }

        protected override void EndProcessing()
        {
            var wholeInventory = _arguments == null;
            var devices = wholeInventory ? UsingStore(() => Services.Inventory.GetAll()).ToList() : _devices;
            // A card handed over to a worker is the worker's to update until its results come back.
            var selected = devices.Count;
            devices = LeaveOutInFlight(devices, wholeInventory, "update");
            if (devices.Count == 0 && selected > 0)
            {
                WriteVerbose("Every selected card is in flight at a worker: nothing to update here.");
                base.EndProcessing();
                return;
            }
            if (devices.Count == 0)
            {
                WriteVerbose(wholeInventory ? "The inventory has no devices: nothing to update." : "No device selected: nothing to update.");
                base.EndProcessing();
                return;
            }

            var firmware = new FirmwareServices(Services, LoggerFactory);
            var library = UsingStore(() => firmware.CreateLibrary());
            string? gateNote = null;
            var planner = UsingStore(() => firmware.CreatePlanner(library, out gateNote));
            var plans = planner.PlanAll(devices, BuildPlanOptions(firmware));
            var actionable = plans.Where(p => p.IsActionable).ToList();
            if (gateNote != null) WriteWarning(gateNote);

            if (HighImpactConfirmation.WhatIfRequested(this))
            {
                // -WhatIf: the plan per card, and nothing else happens.
                foreach (var plan in plans) ShouldProcess(plan.Describe(), plan.Describe(), "Update NMC firmware");
                base.EndProcessing();
                return;
            }
            if (!Confirm(actionable, wholeInventory))
            {
                base.EndProcessing();
                return;
            }

            var throttle = MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : firmware.Settings.ConcurrentRequests;
            var engine = UsingStore(() => firmware.CreateEngine(library, throttle));
            // The run's planner also gives each result the verdict it was reached under (NmcDevice.StatusBasis).
            var statuses = new DeviceStatusResolver(planner);
            if (AsJob)
                StartJob(engine, plans, devices, throttle, statuses);
            else
                RunInForeground(engine, plans, devices, throttle, statuses);
            base.EndProcessing();
        }

        private UpdatePlanOptions BuildPlanOptions(FirmwareServices firmware)
        {
            var options = firmware.PlanOptions();
            options.Reinstall = Reinstall;
            if (Version != null)
            {
                if (!FirmwareVersion.TryParse(Version, out var version))
                    ThrowCommandError("InvalidVersion", ErrorCategory.InvalidArgument, Version, UpdateParameters.NotAVersion(Version));
                options.TargetVersion = version;
            }
            if (ChangeApplicationType)
            {
                options.TargetApplicationType = ApplicationType;
                options.AllowApplicationTypeChange = true;
            }
            return options;
        }

        /// <summary>One prompt for the fleet (a prompt per card is unusable at 1,000 cards), a second one for a type change.</summary>
        private bool Confirm(IReadOnlyList<UpdatePlan> actionable, bool wholeInventory)
        {
            if (actionable.Count == 0) return true; // nothing will be sent to any card; the run only reports why
            var names = actionable.Select(p => p.DeviceName).ToList();
            var target = (wholeInventory ? "every eligible device in the inventory, " : "") +
                         (names.Count == 1 ? names[0] : $"{names.Count} devices: {ConfirmationText.Targets(names)}");
            var changing = actionable.Where(p => p.IsApplicationTypeChange).Select(p => p.DeviceName).ToList();
            RefusePromptWithoutHost(target, changing);
            if (!HighImpactConfirmation.Approve(this, Force, target, "Flash NMC firmware (each card restarts its network interface)")) return false;
            if (changing.Count == 0 || Force) return true;
            return ShouldContinue(
                $"Changing the application type resets {ConfirmationText.Targets(changing)} to factory settings: network settings, users and passwords are lost. Continue?",
                "Change application type");
        }

        /// <summary>
        /// A runbook, scheduled task or Ansible task cannot answer a prompt: the host would fail with
        /// "Read and Prompt functionality is not available" (or wait forever), so say what to add instead.
        /// </summary>
        private void RefusePromptWithoutHost(string target, IReadOnlyList<string> changingType)
        {
            var flashPrompt = NonInteractiveHost.ShouldProcessWouldPrompt(this, Force, ConfirmImpact.High);
            var typePrompt = changingType.Count > 0 && !Force && !HighImpactConfirmation.WhatIfRequested(this);
            if (!flashPrompt && !typePrompt) return;
            if (!NonInteractiveHost.IsNonInteractive(Host)) return;
            var what = typePrompt && !flashPrompt
                ? $"Changing the application type of {ConfirmationText.Targets(changingType)} needs confirmation"
                : $"Flashing {target} needs confirmation";
            ThrowCommandError("ConfirmationNeeded", ErrorCategory.PermissionDenied, target,
                $"{what}, but this PowerShell session is non-interactive (-NonInteractive, a runbook or a job), so nobody can answer a prompt. Nothing was sent to any card.",
                MyInvocation.BoundParameters.ContainsKey("Confirm") && !typePrompt
                    ? "Remove -Confirm and add -Force to update without asking."
                    : "Add -Force to update without asking (in a runbook or playbook, after selecting the cards with Get-NmcDevice).");
        }

        private void StartJob(FirmwareUpdateEngine engine, IReadOnlyList<UpdatePlan> plans, IReadOnlyList<NmcDevice> devices, int throttle, DeviceStatusResolver statuses)
        {
            var inventory = new DeviceInventory(Services.DataFolder);
            var name = "NmcFirmwareUpdate" + Interlocked.Increment(ref _jobNumber);
            var job = new FirmwareUpdateJob(MyInvocation.Line?.Trim() ?? "Invoke-NmcFirmwareUpdate", name,
                observer => engine.Start(plans, observer), devices, throttle,
                results => UpdateResultRecorder.Record(inventory, results, statuses));
            // Only the adapter lists the job: Import-Module registers every public JobSourceAdapter of
            // the module with the JobManager, so Get-Job, Wait-Job, Receive-Job and Remove-Job find it
            // there. Adding it to the session's JobRepository as well made Get-Job list it twice.
            FirmwareUpdateJobSourceAdapter.Instance.Add(job);
            job.StartJob();
            WriteObject(job);
        }

        private void RunInForeground(FirmwareUpdateEngine engine, IReadOnlyList<UpdatePlan> plans, IReadOnlyList<NmcDevice> devices, int throttle, DeviceStatusResolver statuses)
        {
            using var queue = new UpdateEventQueue();
            UpdateRun run;
            try { run = engine.Start(plans, queue); }
            catch (UpdateRunInProgressException ex)
            {
                ThrowCommandError("UpdateRunInProgress", ErrorCategory.ResourceBusy, ex.JournalPath, ex.Message,
                    "Get-NmcFirmwareUpdate shows what that run is doing; run this command again when it has finished.", ex);
                return;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is System.IO.IOException || ex is InvalidOperationException)
            {
                ThrowCommandError("FirmwareUpdateNotStarted", ErrorCategory.ResourceBusy, null, ex.Message,
                    "If another update is running, wait for it (Get-NmcFirmwareUpdate) or stop it (Stop-NmcFirmwareUpdate).", ex);
                return;
            }
            var presenter = new UpdateRunPresenter(run, throttle, ShowProgress(), devices);
            var output = new PipelineOutput(this);
            var stopping = false;
            void Stop()
            {
                stopping = true;
                ReportStop(run.RequestCancel());
            }
            while (true)
            {
                if (!stopping && CancellationToken.IsCancellationRequested) Stop();
                try
                {
                    if (queue.TryTake(out var e, DrainWait) && e != null)
                    {
                        if (!stopping) presenter.Handle(e, output); // once stopping, the pipeline accepts no more output
                    }
                    else if (run.Completion.IsCompleted && queue.Count == 0)
                    {
                        break;
                    }
                    else if (!stopping)
                    {
                        presenter.RefreshParent(output, force: false);
                        DrainLog();
                    }
                }
                catch (PipelineStoppedException)
                {
                    // Ctrl+C can reach a Write* call before the token is seen: never leave the run unattended.
                    if (!stopping) Stop();
                }
            }
            var results = run.Completion.GetAwaiter().GetResult();
            UsingStore(() => UpdateResultRecorder.Record(Services.Inventory, results, statuses));
            if (stopping) return;
            presenter.Complete(output);
            var failed = results.Count(r => r.Outcome == CardOutcome.Failed);
            WriteVerbose($"{results.Count(r => r.Outcome == CardOutcome.Updated)} card(s) updated, {results.Count(r => r.Outcome == CardOutcome.Skipped)} skipped, {failed} failed, {results.Count(r => r.Outcome == CardOutcome.Cancelled)} cancelled.");
        }

        /// <summary>
        /// Ctrl+C: the pipeline is stopping and takes no more records, so the cancellation report goes
        /// straight to the host, and the command waits for cards past the point of no return.
        /// </summary>
        private void ReportStop(IReadOnlyList<CardCancellation> cancellations)
        {
            var refused = cancellations.Where(c => !c.Cancelled).ToList();
            var stopped = cancellations.Count(c => c.Cancelled);
            TryHostWarning($"Cancelling the firmware update: {stopped} card(s) stopped before any firmware was sent.");
            foreach (var card in refused) TryHostWarning($"{card.DeviceName} could not be cancelled: {card.Reason}");
            if (refused.Count > 0) TryHostWarning($"Waiting for {refused.Count} card(s) to finish safely; Get-NmcFirmwareUpdate shows their outcome.");
        }

        private void TryHostWarning(string text)
        {
            try { Host.UI.WriteWarningLine(text); }
            catch (Exception ex) when (ex is PipelineStoppedException || ex is NotImplementedException || ex is InvalidOperationException) { }
        }

        /// <summary>Quiet when $ProgressPreference is SilentlyContinue (runbooks, Ansible: progress would leak as CLIXML).</summary>
        private bool ShowProgress()
        {
            var preference = GetVariableValue("ProgressPreference");
            if (preference is ActionPreference action) return action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
            if (preference is string text && Enum.TryParse(text, true, out ActionPreference parsed))
                return parsed != ActionPreference.SilentlyContinue && parsed != ActionPreference.Ignore;
            return true;
        }

        /// <summary>The pipeline thread's writers, for the presenter.</summary>
        private sealed class PipelineOutput : IUpdateOutput
        {
            private readonly InvokeNmcFirmwareUpdateCommand _cmdlet;
            public PipelineOutput(InvokeNmcFirmwareUpdateCommand cmdlet) => _cmdlet = cmdlet;
            public void WriteResult(PSObject result) => _cmdlet.WriteObject(result);
            public void WriteError(ErrorRecord error) => _cmdlet.WriteError(error);
            public void WriteProgress(ProgressRecord progress) => _cmdlet.WriteProgress(progress);
            public void WriteWarning(string text) => _cmdlet.WriteWarning(text);
        }
    }
}
