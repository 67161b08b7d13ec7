using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;
using SecureNmc.PowerShell.Infrastructure;
using SecureNmc.PowerShell.Simulation;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Hosting;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Starts a fleet of simulated NMC3 cards on loopback inside this PowerShell session and returns
    /// one object per card, ready for Add-NmcDevice (host, port, protocol, name and the simulated
    /// user's credential). The fleet runs until Stop-NmcSimulator or the end of the session.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "NmcSimulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(NmcSimulatedCard))]
    public sealed class StartNmcSimulatorCommand : NmcCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateRange(1, 62500)]
        public int Count { get; set; } = 5;

        /// <summary>Application types given to the cards in turn (default: all nine in turn).</summary>
        [Parameter]
        public ApplicationType[]? ApplicationType { get; set; }

        /// <summary>Turns FTP on on every card (NMC3 ships with FTP off).</summary>
        [Parameter]
        public SwitchParameter EnableFtp { get; set; }

        /// <summary>Which endpoint the returned objects describe; FTP needs -EnableFtp.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProtocolCompleter))]
        public string Protocol { get; set; } = "SCP";

        /// <summary>1 = real time (a rehearsal), 0.01 = 100 times faster, 0 = no delays.</summary>
        [Parameter]
        [ValidateRange(0.0, 1000.0)]
        public double TimeScale { get; set; } = 1.0;

        /// <summary>Restart time after an accepted firmware package, in simulated seconds.</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int RestartSeconds { get; set; } = 120;

        /// <summary>The last N cards are NMC2 cards (reported as not supported).</summary>
        [Parameter]
        [ValidateRange(0, 62500)]
        public int Nmc2Count { get; set; }

        /// <summary>Faults per card number: @{ 2 = 'RefuseConnections'; 3 = 'AnswerSlowly', 'PresentDifferentHostKey' }.</summary>
        [Parameter]
        public Hashtable? Fault { get; set; }

        /// <summary>Whose credential the returned objects carry (default the simulated administrator).</summary>
        [Parameter]
        public CardUserKind User { get; set; } = CardUserKind.Administrator;

        /// <summary>SSH port shared by all cards: 22 or 5000-32768, an error when taken (0: a free port in 5000-32768 is picked).</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int SshPort { get; set; }

        protected override void EndProcessing()
        {
            if (!TransferProtocolNames.TryParse(Protocol, out var parsed, out var protocolError))
                ThrowCommandError("InvalidProtocol", ErrorCategory.InvalidArgument, Protocol, protocolError!);
            var protocol = parsed ?? TransferProtocol.Scp;
            if (protocol == TransferProtocol.Ftp && !EnableFtp)
                ThrowCommandError("FtpNotEnabled", ErrorCategory.InvalidArgument, Protocol,
                    "-Protocol FTP needs -EnableFtp: simulated cards, like real NMC3 cards, ship with FTP off.");

            var spec = new SimulatorFleetSpec
            {
                Count = Count,
                ApplicationTypes = ApplicationType ?? new ApplicationType[0],
                EnableFtp = EnableFtp,
                TimeScale = TimeScale,
                Nmc2Count = Nmc2Count,
                SshPort = SshPort,
                RestartDuration = TimeSpan.FromSeconds(RestartSeconds),
                Faults = ReadFaults(),
            };
            var problems = spec.Validate();
            if (problems.Count > 0)
                ThrowCommandError("InvalidSimulator", ErrorCategory.InvalidArgument, null, string.Join(" ", problems));

            if (!ShouldProcess($"{Count} simulated card(s) on loopback", "Start the NMC3 simulator")) return;

            SimulatorFleetHost host;
            try
            {
                // No logger: the fleet outlives this command, and nothing would drain its log afterwards.
                host = spec.Start();
            }
            catch (SimulatorPortInUseException ex) when (ex.Port != 0)
            {
                // The port was asked for with -SshPort: never moved to another port behind the user's back.
                var advice = $"Leave -SshPort out to let the simulator pick a free port from {CardPortChooser.Minimum} to {CardPortChooser.Maximum}, " +
                             "choose another -SshPort, or stop the simulator or program that holds it (Stop-NmcSimulator).";
                ThrowCommandError("SimulatorPortInUse", ErrorCategory.ResourceUnavailable, ex.Port,
                    $"The simulator cannot listen on -SshPort {ex.Port}: {ex.Message} {advice}", advice, ex);
                return;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException || ex is InvalidOperationException || ex is System.IO.IOException)
            {
                ThrowCommandError("SimulatorNotStarted", ErrorCategory.ResourceUnavailable, null,
                    $"The simulator could not listen on loopback: {ex.Message}", "Pick another -SshPort, or stop other simulators with Stop-NmcSimulator.", ex);
                return;
            }
            var simulator = new NmcSimulator(SimulatorRegistry.NextId(), host);
            var cards = new List<NmcSimulatedCard>();
            foreach (var card in host.Fleet.Cards) cards.Add(new NmcSimulatedCard(simulator, card, protocol, User));
            simulator.Cards = cards;
            SimulatorRegistry.Register(SessionId, simulator);
            WriteVerbose($"Started simulator {simulator.Id}: {simulator.Endpoints}, time scale {TimeScale.ToString(CultureInfo.InvariantCulture)}. Stop it with Stop-NmcSimulator.");
            WriteObject(cards, enumerateCollection: true);
            base.EndProcessing();
        }

        /// <summary>This runspace: Stop-NmcSimulator without arguments stops the fleets it started.</summary>
        internal static Guid SessionId => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

        private IDictionary<int, IList<string>> ReadFaults()
        {
            var faults = new Dictionary<int, IList<string>>();
            if (Fault == null) return faults;
            foreach (DictionaryEntry entry in Fault)
            {
                if (!int.TryParse(Convert.ToString(entry.Key, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    ThrowCommandError("InvalidFault", ErrorCategory.InvalidArgument, entry.Key,
                        $"-Fault key '{entry.Key}' is not a card number. Use @{{ 2 = 'RefuseConnections' }} (cards are numbered from 1).");
                var names = new List<string>();
                if (entry.Value is string single) names.Add(single);
                else if (entry.Value is IEnumerable many) foreach (var item in many) names.Add(Convert.ToString(item, CultureInfo.InvariantCulture) ?? "");
                else names.Add(Convert.ToString(entry.Value, CultureInfo.InvariantCulture) ?? "");
                faults[number] = names;
            }
            return faults;
        }
    }
}
