using System.Management.Automation;
using System.Security;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;

namespace SecureNmc.PowerShell.Simulation
{
    /// <summary>
    /// One simulated card as Start-NmcSimulator returns it. The property names are the ones
    /// Add-NmcDevice binds by property name (Host, Port, Protocol, Name, UserName, Credential), so
    /// `Start-NmcSimulator | Add-NmcDevice` adds every card with the simulated user's credential.
    /// The simulated passwords are published test values, not secrets.
    /// </summary>
    public sealed class NmcSimulatedCard
    {
        internal NmcSimulatedCard(NmcSimulator simulator, SimulatedCard card, TransferProtocol protocol, CardUserKind user)
        {
            Simulator = simulator;
            Card = card;
            Protocol = TransferProtocolNames.ToText(protocol);
            UserKind = user;
            var credential = SimulatedFleet.Credential(user);
            var password = new SecureString();
            foreach (var c in credential.Password) password.AppendChar(c);
            password.MakeReadOnly();
            Credential = new PSCredential(credential.UserName, password);
        }

        public string Name => Card.Name;
        public string Host => Card.Host;

        /// <summary>The port of <see cref="Protocol"/>: the SSH port for SCP, the FTP port for FTP.</summary>
        public int Port => Protocol == "FTP" ? Card.FtpPort : Card.SshPort;

        /// <summary>"SCP" or "FTP".</summary>
        public string Protocol { get; }

        public string UserName => Credential.UserName;
        public PSCredential Credential { get; }

        /// <summary>Which simulated user the credential belongs to (Administrator unless -User chose another).</summary>
        public CardUserKind UserKind { get; }

        public string Model => Card.Profile.Model;
        public string Generation => Card.Profile.Generation == NmcGeneration.Nmc2 ? "NMC2" : "NMC3";

        /// <summary>The application type (SU, RPDU2G...); NMC2 cards run sumx and show "sumx".</summary>
        public string ApplicationType => Card.Profile.Generation == NmcGeneration.Nmc2 ? Card.Profile.ApplicationModuleName : Card.Profile.ApplicationType.ToString();

        public string AosVersion => Card.Profile.AosVersion;
        public string ApplicationVersion => Card.Profile.ApplicationVersion;
        public string SerialNumber => Card.Profile.SerialNumber;
        public int SshPort => Card.SshPort;

        /// <summary>Null while FTP is off on the card (NMC3 ships with FTP off).</summary>
        public int? FtpPort => Card.FtpEnabled ? Card.FtpPort : (int?)null;

        /// <summary>SHA256 fingerprint of the SSH host key the card presents now.</summary>
        public string HostKeyFingerprint => Card.PresentedHostKey.Fingerprint;

        /// <summary>Running, Restarting or Offline.</summary>
        public string State => Card.State.ToString();

        /// <summary>The live simulated card: switch faults, read its event log, power-cycle it.</summary>
        public SimulatedCard Card { get; }

        /// <summary>The fleet this card belongs to (for Stop-NmcSimulator).</summary>
        public NmcSimulator Simulator { get; }

        public override string ToString() => Host;
    }
}
