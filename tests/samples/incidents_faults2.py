"""incidents_faults2.py -- K03 (two incidents), K04, K05, K06."""

import samplelib as L
from samplelib import U, td, Host, Rng, Req
import cmflows as F

import gen_samples as G


# ====================================================================== K03a

def k03a(incident):
    inc = incident("K03-wsus30-setup-0x80070643", ["K3"],
                   "WSUS 3.0 SP2 setup against a remote SQL instance fails: the "
                   "installing account is not sysadmin")
    rng = Rng(303)
    h = Host("LFC-WSUS01", "ad.larkfield.ac.uk", "172.22.10.31", "Europe/London",
             "wsus-server", "GMT Standard Time")
    inc.bundle("LFC-WSUS01", h, "wsus-server", collected=U("2024-04-09 13:40:00"))
    sql = "LFC-SQL02\\WSUS"
    user = "LARKFIELD\\svc-deploy"

    def lt(s):
        return h.local(U(s))

    # -- WSUSSetup.log (ANSI; local BST)
    rows = [
        ("2024-04-09 13:21:07", "Success", "MWUSSetup", "Validating pre-requisites..."),
        ("2024-04-09 13:21:07", "Info", "MWUSSetup", "OS version: 6.1.7601 Service Pack 1, x64"),
        ("2024-04-09 13:21:07", "Info", "MWUSSetup", ".NET Framework 2.0 SP2 found; IIS 7.5 found; Report Viewer 2008 SP1 found"),
        ("2024-04-09 13:21:08", "Success", "MWUSSetup", "Pre-requisites are satisfied"),
        ("2024-04-09 13:21:36", "Info", "MWUSSetup", "Database type: remote SQL Server, instance %s" % sql),
        ("2024-04-09 13:21:36", "Info", "MWUSSetup", "Setup user: %s" % user),
        ("2024-04-09 13:21:40", "Info", "MWUSSetup", "Content directory: E:\\WSUS, Web site: custom (8530)"),
        ("2024-04-09 13:21:41", "Success", "MWUSSetup", "Initializing installation details"),
        ("2024-04-09 13:21:41", "Info", "MWUSSetup", "Installing MWUS: msiexec /i WSUS.msi /l*v \"C:\\Users\\svc-deploy\\AppData\\Local\\Temp\\WSUSSetupMsi_20240409_1421.log\""),
        ("2024-04-09 13:23:49", "Error", "MWUSSetup", "InstallWsus: MWUS Installation Failed (Error 0x80070643: Fatal error during installation.)"),
        ("2024-04-09 13:23:49", "Error", "MWUSSetup", "CInstallDriverBase::Install: Failed to install WSUS (Error 0x80070643: Fatal error during installation.)"),
        ("2024-04-09 13:23:49", "Info", "MWUSSetup", "Rollback of MWUS completed"),
        ("2024-04-09 13:23:50", "Error", "MWUSSetup", "CBsuApp::RunInstall: Setup failed (Error 0x80070643: Fatal error during installation.)"),
        ("2024-04-09 13:23:50", "Info", "MWUSSetup", "Setup exit code: 0x80070643"),
    ]
    txt = "".join("%s  %-9s %-18s %s\n" % (lt(t).strftime("%Y-%m-%d %H:%M:%S"), a, b, c)
                  for t, a, b, c in rows)
    inc.write("LFC-WSUS01", "Temp/WSUSSetup.log", txt, "WSUS 3.0 setup log", "cp1252")
    inc.ev("K3", "LFC-WSUS01", "Temp/WSUSSetup.log", "MWUS Installation Failed (Error 0x80070643",
           "InstallWsus: Error 0x80070643: Fatal error during installation")

    # -- WSUSCa log (custom actions)
    ca = [
        ("2024-04-09 13:22:57", "Info", "CustomActions.Dll", "InstallDatabase: connecting to SQL instance %s" % sql),
        ("2024-04-09 13:22:58", "Info", "CustomActions.Dll", "SQL Server version 11.0.7507.2, login %s, IS_SRVROLEMEMBER('sysadmin') = 0" % user),
        ("2024-04-09 13:22:58", "Info", "CustomActions.Dll", "Database SUSDB does not exist; creating it"),
        ("2024-04-09 13:23:01", "Error", "CustomActions.Dll", "ExecuteSQLScript: CREATE DATABASE SUSDB failed (Error 0x80040E09: CREATE DATABASE permission denied in database 'master'.)"),
        ("2024-04-09 13:23:01", "Error", "CustomActions.Dll", "CreateDatabase: failed to create the SUSDB database (Error 0x80040E09)"),
        ("2024-04-09 13:23:01", "Error", "CustomActions.Dll", "InstallDatabase failed (Error 0x80070643: Fatal error during installation.)"),
    ]
    txt = "".join("%s  %-9s %-18s %s\n" % (lt(t).strftime("%Y-%m-%d %H:%M:%S"), a, b, c)
                  for t, a, b, c in ca)
    inc.write("LFC-WSUS01", "Temp/WSUSCa_20240409_1421.log", txt, "WSUS custom-action log", "cp1252")
    inc.ev("K3", "LFC-WSUS01", "Temp/WSUSCa_20240409_1421.log", "CREATE DATABASE permission denied",
           "setup account lacks SQL sysadmin")

    # -- MSI verbose log, UTF-16LE
    out = []
    t0 = U("2024-04-09 13:21:41.502")

    def m(side, ids, t, msg):
        out.append("MSI (%s) (%s) [%s]: %s" % (side, ids, L.msi_time(h.local(t)), msg))

    def act(kind, t, name, rv=None):
        s = h.local(t).strftime("%H:%M:%S")
        if kind == "start":
            out.append("Action start %s: %s." % (s, name))
        else:
            out.append("Action ended %s: %s. Return value %d." % (s, name, rv))
    out.append("=== Verbose logging started: 4/9/2024  %s  Build type: SHIP UNICODE 5.00.7601.00  "
               "Calling process: C:\\Users\\svc-deploy\\AppData\\Local\\Temp\\WSUS3Setup\\WSUSSetup.exe ===" %
               h.local(t0).strftime("%H:%M:%S"))
    m("c", "A4:C8", t0, "Resetting cached policy values")
    m("c", "A4:C8", t0, "Machine policy value 'Debug' is 0")
    m("c", "A4:C8", t0, "******* RunEngine:")
    out += ["******* Product: C:\\Users\\svc-deploy\\AppData\\Local\\Temp\\WSUS3Setup\\WSUS.msi",
            "******* Action: ",
            "******* CommandLine: **********"]
    m("c", "A4:C8", t0 + td(milliseconds=4), "Client-side and UI is none or basic: Running entire install on the server.")
    m("c", "A4:C8", t0 + td(milliseconds=4), "Grabbed execution mutex.")
    m("c", "A4:C8", t0 + td(milliseconds=9), "Cloaking enabled.")
    m("c", "A4:C8", t0 + td(milliseconds=9), "Attempting to enable all disabled privileges before calling Install on Server")
    m("c", "A4:C8", t0 + td(milliseconds=9), "Incrementing counter to disable shutdown. Counter after increment: 0")
    t = t0 + td(milliseconds=30)
    m("s", "B8:1C", t, "Running installation inside multi-package transaction C:\\Users\\svc-deploy\\AppData\\Local\\Temp\\WSUS3Setup\\WSUS.msi")
    m("s", "B8:1C", t, "Grabbed execution mutex.")
    m("s", "B8:44", t, "Resetting cached policy values")
    m("s", "B8:44", t, "******* RunEngine:")
    out += ["******* Product: C:\\Users\\svc-deploy\\AppData\\Local\\Temp\\WSUS3Setup\\WSUS.msi",
            "******* Action: ",
            "******* CommandLine: **********"]
    m("s", "B8:44", t + td(milliseconds=40), "Note: 1: 2203 2: C:\\Windows\\Installer\\inprogressinstallinfo.ipi 3: -2147287038")
    m("s", "B8:44", t + td(milliseconds=61), "SRSetRestorePoint skipped for this transaction.")
    m("s", "B8:44", t + td(milliseconds=70), "File will have security applied from OpCode.")
    m("s", "B8:44", t + td(milliseconds=212), "Original package ==> C:\\Users\\svc-deploy\\AppData\\Local\\Temp\\WSUS3Setup\\WSUS.msi")
    m("s", "B8:44", t + td(milliseconds=212), "Package we're running from ==> C:\\Windows\\Installer\\3f1c52.msi")
    m("s", "B8:44", t + td(milliseconds=301), "Product Code passed to Engine.Initialize:           ''")
    m("s", "B8:44", t + td(milliseconds=301), "Product Code from property table before transforms: '{2A4E6F44-2F2D-4E7C-A0B8-8B1E0C1E2E2A}'")
    m("s", "B8:44", t + td(milliseconds=302), "Product Version from property table before transforms: '3.2.7600.226'")
    m("s", "B8:44", t + td(milliseconds=350), "PROPERTY CHANGE: Adding SQLINSTANCE_NAME property. Its value is '%s'." % sql)
    m("s", "B8:44", t + td(milliseconds=351), "PROPERTY CHANGE: Adding CONTENT_LOCAL property. Its value is '1'.")
    m("s", "B8:44", t + td(milliseconds=351), "PROPERTY CHANGE: Adding CONTENT_DIR property. Its value is 'E:\\WSUS'.")
    m("s", "B8:44", t + td(milliseconds=352), "PROPERTY CHANGE: Adding DEFAULT_WEBSITE property. Its value is '0'.")
    t = U("2024-04-09 13:21:42.120")
    for name in ("INSTALL", "AppSearch", "LaunchConditions", "ValidateProductID", "CostInitialize",
                 "FileCost", "CostFinalize", "InstallValidate", "InstallInitialize"):
        act("start", t, name)
        if name != "INSTALL":
            act("end", t + td(milliseconds=90), name, 1)
        t += td(milliseconds=380)
    m("s", "B8:44", t, "Doing action: ProcessComponents")
    act("start", t, "ProcessComponents")
    act("end", t + td(seconds=2), "ProcessComponents", 1)
    t += td(seconds=3)
    act("start", t, "InstallFiles")
    m("s", "B8:44", t, "Note: 1: 2205 2:  3: Patch ")
    act("end", t + td(seconds=71), "InstallFiles", 1)
    t = U("2024-04-09 13:22:57.903")
    act("start", t, "InstallDatabase")
    m("s", "B8:44", t, "Invoking remote custom action. DLL: C:\\Windows\\Installer\\MSI7F21.tmp, Entrypoint: InstallDatabase")
    m("s", "B8:F0", t + td(milliseconds=2), "Generating random cookie.")
    m("s", "B8:F0", t + td(milliseconds=4), "Created Custom Action Server with PID 3712 (0xE80).")
    m("s", "B8:0C", t + td(milliseconds=41), "Running as a service.")
    m("s", "B8:0C", t + td(milliseconds=44), "Hello, I'm your 64bit Elevated custom action server.")
    m("s", "B8!44", U("2024-04-09 13:23:01.317"), "PROPERTY CHANGE: Adding WSUS_SQL_ERROR property. Its value is 'CREATE DATABASE permission denied in database 'master'. (0x80040E09)'.")
    m("s", "B8!44", U("2024-04-09 13:23:01.318"), "Product: Windows Server Update Services 3.0 SP2 -- Error 0x80070643: Fatal error during installation. Failed to create the SUSDB database on %s; the setup account needs the sysadmin server role." % sql)
    out.append("CustomAction InstallDatabase returned actual error code 1603 (note this may not be 100% accurate if translation happened inside sandbox)")
    act("end", U("2024-04-09 13:23:01.337"), "InstallDatabase", 3)
    m("s", "B8:44", U("2024-04-09 13:23:01.340"), "Machine policy value 'DisableRollback' is 0")
    m("s", "B8:44", U("2024-04-09 13:23:01.340"), "Executing op: Header(Signature=1397708873,Version=500,Timestamp=1149993660,LangId=1033,Platform=589824,ScriptType=2,ScriptMajorVersion=21,ScriptMinorVersion=4,ScriptAttributes=1)")
    m("s", "B8:44", U("2024-04-09 13:23:01.341"), "Executing op: DialogInfo(Type=0,Argument=1033)")
    out.append("Rollback: Copying new files")
    m("s", "B8:44", U("2024-04-09 13:23:46.802"), "Note: 1: 2318 2:  ")
    m("s", "B8:44", U("2024-04-09 13:23:48.110"), "No System Restore sequence number for this installation.")
    m("s", "B8:44", U("2024-04-09 13:23:48.111"), "Unlocking Server")
    act("end", U("2024-04-09 13:23:48.130"), "INSTALL", 3)
    m("s", "B8:44", U("2024-04-09 13:23:49.220"), "Product: Windows Server Update Services 3.0 SP2 -- Installation failed.")
    m("s", "B8:44", U("2024-04-09 13:23:49.221"), "Windows Installer installed the product. Product Name: Windows Server Update Services 3.0 SP2. Product Version: 3.2.7600.226. Product Language: 1033. Manufacturer: Microsoft Corporation. Installation success or error status: 1603.")
    m("s", "B8:44", U("2024-04-09 13:23:49.224"), "Cleaning up uninstalled install packages, if any exist")
    m("s", "B8:44", U("2024-04-09 13:23:49.226"), "MainEngineThread is returning 1603")
    m("s", "B8:1C", U("2024-04-09 13:23:49.230"), "No System Restore sequence number for this installation.")
    out.append("=== Logging stopped: 4/9/2024  %s ===" % h.local(U("2024-04-09 13:23:49")).strftime("%H:%M:%S"))
    m("c", "A4:C8", U("2024-04-09 13:23:49.240"), "Decrementing counter to disable shutdown. If counter >= 0, shutdown will be denied.  Counter after decrement: -1")
    m("c", "A4:C8", U("2024-04-09 13:23:49.240"), "MainEngineThread is returning 1603")
    out.append("=== Verbose logging stopped: 4/9/2024  %s ===" % h.local(U("2024-04-09 13:23:49")).strftime("%H:%M:%S"))
    rel = "Temp/WSUSSetupMsi_20240409_1421.log"
    inc.write("LFC-WSUS01", rel, "\n".join(out) + "\n", "MSI verbose log", "utf-16le-bom")
    inc.ev("K3", "LFC-WSUS01", rel, "InstallDatabase. Return value 3.", "custom action fails, Return value 3")
    inc.ev("K3", "LFC-WSUS01", rel, "-- Error 0x80070643", "0x80070643 with the SQL permission text")

    # -- Application events (MsiInstaller)
    ev = [L.evt_xml("MsiInstaller", 11708, 4, U("2024-04-09 13:23:49.218"), h.fqdn, "Application",
                    ["Product: Windows Server Update Services 3.0 SP2 -- Installation failed.",
                     "(NULL)", "(NULL)", "(NULL)", "(NULL)", "(NULL)", ""], 40211,
                    qualifiers=0, keywords="0x80000000000000", user="S-1-5-21-1870421571-2093386104-926388519-4117",
                    binary="7B32413445364634342D324632442D344537432D413042382D3842314530433145324532417D"),
          L.evt_xml("MsiInstaller", 1033, 4, U("2024-04-09 13:23:49.221"), h.fqdn, "Application",
                    ["Windows Server Update Services 3.0 SP2", "3.2.7600.226", "1033", "1603",
                     "Microsoft Corporation", "(NULL)", ""], 40212, qualifiers=0,
                    user="S-1-5-21-1870421571-2093386104-926388519-4117")]
    inc.write("LFC-WSUS01", "Events/Application-MsiInstaller.xml", "\n".join(ev) + "\n",
              "wevtutil /f:xml", "utf-8")
    inc.fix("K3", G.ART000, "Error 0x80070643: Fatal error during installation")


# ====================================================================== K03b

def k03b(incident):
    inc = incident("K03-postinstall-sql-permission", ["K3"],
                   "WSUS role on Server 2022 with a remote SQL instance: wsusutil "
                   "postinstall fails, the admin is not sysadmin")
    rng = Rng(304)
    h = Host("NCS-WSUS02", "ad.northshorecs.ca", "10.14.0.42", "America/Toronto",
             "wsus-server", "Eastern Standard Time")
    inc.bundle("NCS-WSUS02", h, "wsus-server", collected=U("2024-11-04 21:30:00"))
    sql = "NCS-SQL01\\UPDATES"

    # -- postinstall log (local, EST)
    P = []

    def p(t, msg):
        P.append("%s  %s" % (h.local(U(t)).strftime("%Y-%m-%d %H:%M:%S"), msg))
    T = "2024-11-04 21:12:40"
    p(T, "Postinstall started")
    p(T, "Detected role services: Api, UI, Database, Services")
    p(T, "Start: LoadSettingsFromXml")
    for item, val in (("ContentLocal", "True"), ("ContentDirectory", "D:\\WSUS"),
                      ("InstanceName", sql)):
        p(T, "Start: GetConfigValue with filename=UpdateServices-%s.xml item=%s" % (
            "DB" if item == "InstanceName" else "Services", item))
        p(T, "Value is %s" % val)
        p(T, "End: GetConfigValue")
    p(T, "End: LoadSettingsFromXml")
    p(T, "Start: LoadSettingsFromParameters")
    p(T, "Content local is: True")
    p(T, "Content directory is: D:\\WSUS")
    p(T, "SQL instname is: %s" % sql)
    p(T, "End: LoadSettingsFromParameters")
    p(T, "Start: Run")
    p(T, "Configuring content directory...")
    p(T, "Configuring groups...")
    for g in ("WSUS Administrators", "WSUS Reporters"):
        p("2024-11-04 21:12:41", "Starting group configuration for %s..." % g)
        p("2024-11-04 21:12:41", "Found group in regsitry, attempting to use it...")
        p("2024-11-04 21:12:41", "Writing group to registry...")
        p("2024-11-04 21:12:41", "Finished group creation")
    p("2024-11-04 21:12:41", "Configuring permissions...")
    p("2024-11-04 21:12:41", "Fetching content directory...")
    p("2024-11-04 21:12:41", "Fetching ContentDir from registry store")
    p("2024-11-04 21:12:41", "Value is D:\\WSUS")
    p("2024-11-04 21:12:41", "Fetching group SIDs...")
    p("2024-11-04 21:12:41", "Fetching WsusAdministratorsSid from registry store")
    p("2024-11-04 21:12:41", "Value is S-1-5-21-3317041929-2412380712-1502836650-1003")
    p("2024-11-04 21:12:41", "Creating group principals...")
    p("2024-11-04 21:12:42", "Granting directory permissions...")
    p("2024-11-04 21:12:42", "Granting permissions on content directory...")
    p("2024-11-04 21:12:42", "Granting registry permissions...")
    p("2024-11-04 21:12:42", "Granting registry permissions...")
    p("2024-11-04 21:12:42", "Configuring shares...")
    p("2024-11-04 21:12:42", "Configuring network shares...")
    p("2024-11-04 21:12:42", "Fetching content directory...")
    p("2024-11-04 21:12:42", "Fetching ContentDir from registry store")
    p("2024-11-04 21:12:42", "Value is D:\\WSUS")
    p("2024-11-04 21:12:42", "Fetching WSUS admin SID...")
    p("2024-11-04 21:12:42", "Content directory is local, creating content shares...")
    p("2024-11-04 21:12:42", "Creating share \"UpdateServicesPackages\" with path \"D:\\WSUS\\UpdateServicesPackages\" and description \"A network share to be used by client systems for collecting all software packages (usually applications) published on this WSUS system.\"")
    p("2024-11-04 21:12:42", "Deleting existing share...")
    p("2024-11-04 21:12:42", "Creating share...")
    p("2024-11-04 21:12:42", "Share successfully created")
    p("2024-11-04 21:12:42", "Creating share \"WsusContent\" with path \"D:\\WSUS\\WsusContent\" and description \"A network share to be used by Local Publishing to place published content on this WSUS system.\"")
    p("2024-11-04 21:12:42", "Share successfully created")
    p("2024-11-04 21:12:42", "Finished creating content shares")
    p("2024-11-04 21:12:42", "Stopping service WSUSService")
    p("2024-11-04 21:12:42", "Stopping service W3SVC")
    p("2024-11-04 21:12:44", "Configuring database...")
    p("2024-11-04 21:12:44", "Configuring the database...")
    p("2024-11-04 21:12:44", "Establishing DB connection...")
    p("2024-11-04 21:12:44", "Checking to see if database exists...")
    p("2024-11-04 21:12:44", "Database does not exist, creating it...")
    P.append("%s  Fatal Error: System.Data.SqlClient.SqlException (0x80131904): CREATE DATABASE permission denied in database 'master'." %
             h.local(U("2024-11-04 21:12:45")).strftime("%Y-%m-%d %H:%M:%S"))
    P += ["   at System.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean breakConnection, Action`1 wrapCloseInAction)",
          "   at System.Data.SqlClient.TdsParser.ThrowExceptionAndWarning(TdsParserStateObject stateObj, Boolean callerHasConnectionLock, Boolean asyncClose)",
          "   at System.Data.SqlClient.TdsParser.TryRun(RunBehavior runBehavior, SqlCommand cmdHandler, SqlDataReader dataStream, BulkCopySimpleResultSet bulkCopyHandler, TdsParserStateObject stateObj, Boolean& dataReady)",
          "   at System.Data.SqlClient.SqlCommand.RunExecuteNonQueryTds(String methodName, Boolean async, Int32 timeout, Boolean asyncWrite)",
          "   at System.Data.SqlClient.SqlCommand.ExecuteNonQuery()",
          "   at Microsoft.UpdateServices.Administration.ConfigureDB.CreateDatabase()",
          "   at Microsoft.UpdateServices.Administration.ConfigureDB.ConnectToDB()",
          "   at Microsoft.UpdateServices.Administration.ConfigureDB.Configure()",
          "   at Microsoft.UpdateServices.Administration.PostInstall.Run()",
          "   at Microsoft.UpdateServices.Administration.PostInstall.Execute(String[] arguments)",
          "ClientConnectionId:7f3a1c52-94e0-4b8e-9d55-2c0b6e41a9d3",
          "Error Number:262,State:1,Class:14"]
    # the collector renames %TEMP%\\tmp5C1E.tmp (and *.tmp is git-ignored here)
    rel = "Temp/wsusutil-postinstall_tmp5C1E.log"
    inc.write("NCS-WSUS02", rel, "\n".join(P) + "\n", "wsusutil postinstall log", "utf-8")
    inc.ev("K3", "NCS-WSUS02", rel, "Fatal Error: System.Data.SqlClient.SqlException",
           "Fatal Error: CREATE DATABASE permission denied (SQL error 262)")

    # -- PowerShell transcript (UTF-8 BOM)
    tr = """**********************
Windows PowerShell transcript start
Start time: %(start)s
Username: NORTHSHORE\\adm-mtremblay
RunAs User: NORTHSHORE\\adm-mtremblay
Configuration Name: 
Machine: NCS-WSUS02 (Microsoft Windows NT 10.0.20348.0)
Host Application: C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe
Process ID: 4412
PSVersion: 5.1.20348.2760
PSEdition: Desktop
PSCompatibleVersions: 1.0, 2.0, 3.0, 4.0, 5.0, 5.1.20348.2760
BuildVersion: 10.0.20348.2760
CLRVersion: 4.0.30319.42000
WSManStackVersion: 3.0
PSRemotingProtocolVersion: 2.3
SerializationVersion: 1.1.0.1
**********************
Transcript started, output file is C:\\Temp\\PowerShell_transcript.NCS-WSUS02.Xq3v1m2k.%(start)s.txt
PS C:\\Temp> Install-WindowsFeature -Name UpdateServices-Services,UpdateServices-DB -IncludeManagementTools

Success Restart Needed Exit Code      Feature Result
------- -------------- ---------      --------------
True    No             Success        {ASP.NET 4.8, HTTP Activation, Remote Serv...


PS C:\\Temp> & 'C:\\Program Files\\Update Services\\Tools\\wsusutil.exe' postinstall SQL_INSTANCE_NAME="%(sql)s" CONTENT_DIR=D:\\WSUS
Log file is located at C:\\Users\\ADM-MT~1\\AppData\\Local\\Temp\\tmp5C1E.tmp
Post install is starting
Fatal Error: CREATE DATABASE permission denied in database 'master'.
PS C:\\Temp> $LASTEXITCODE
1
PS C:\\Temp> Invoke-Sqlcmd -ServerInstance '%(sql)s' -Query "SELECT SUSER_SNAME() AS Login, IS_SRVROLEMEMBER('sysadmin') AS IsSysadmin"

Login                    IsSysadmin
-----                    ----------
NORTHSHORE\\adm-mtremblay          0


PS C:\\Temp> Stop-Transcript
**********************
Windows PowerShell transcript end
End time: %(end)s
**********************
""" % dict(start=h.local(U("2024-11-04 21:11:58")).strftime("%Y%m%d%H%M%S"),
           end=h.local(U("2024-11-04 21:16:55")).strftime("%Y%m%d%H%M%S"), sql=sql)
    rel2 = "Temp/PowerShell_transcript.NCS-WSUS02.Xq3v1m2k.%s.txt" % h.local(
        U("2024-11-04 21:11:58")).strftime("%Y%m%d%H%M%S")
    inc.write("NCS-WSUS02", rel2, tr, "PowerShell transcript (generic text)", "utf-8-bom")
    inc.ev("K3", "NCS-WSUS02", rel2, "NORTHSHORE\\adm-mtremblay          0", "IsSysadmin = 0 for the installing admin")

    # -- an earlier, successful MSI (ANSI), across midnight
    out = []
    t0 = U("2024-11-04 04:58:40.118")

    def m(ids, t, msg, side="s"):
        out.append("MSI (%s) (%s) [%s]: %s" % (side, ids, L.msi_time(h.local(t)), msg))
    out.append("=== Verbose logging started: 11/3/2024  23:58:40  Build type: SHIP UNICODE 5.00.10011.00  Calling process: C:\\Windows\\system32\\msiexec.exe ===")
    m("5C:30", t0, "Resetting cached policy values", "c")
    m("5C:30", t0, "Machine policy value 'Debug' is 0", "c")
    m("5C:30", t0, "******* RunEngine:", "c")
    out += ["******* Product: C:\\Temp\\prereq\\ReportViewer.msi", "******* Action: ",
            "******* CommandLine: **********"]
    m("5C:30", t0 + td(milliseconds=12), "Client-side and UI is none or basic: Running entire install on the server.", "c")
    m("C4:9C", t0 + td(milliseconds=40), "Grabbed execution mutex.")
    m("C4:A0", t0 + td(milliseconds=52), "******* RunEngine:")
    out += ["******* Product: C:\\Temp\\prereq\\ReportViewer.msi", "******* Action: ",
            "******* CommandLine: **********"]
    m("C4:A0", t0 + td(milliseconds=80), "Product Code from property table before transforms: '{3ECE8FC7-7020-4756-A71C-C345D4725B77}'")
    m("C4:A0", t0 + td(milliseconds=80), "Product Version from property table before transforms: '11.1.3452.0'")
    t = U("2024-11-04 04:59:58.002")
    for name, d in (("InstallInitialize", 1), ("ProcessComponents", 2), ("InstallFiles", 9),
                    ("RegisterAssemblies", 5), ("InstallFinalize", 3)):
        out.append("Action start %s: %s." % (h.local(t).strftime("%H:%M:%S"), name))
        t += td(seconds=d)
        out.append("Action ended %s: %s. Return value 1." % (h.local(t).strftime("%H:%M:%S"), name))
    out.append("Action ended %s: INSTALL. Return value 1." % h.local(t).strftime("%H:%M:%S"))
    m("C4:A0", t + td(milliseconds=40), "Product: Microsoft Report Viewer 2012 Runtime -- Installation completed successfully.")
    m("C4:A0", t + td(milliseconds=41), "Windows Installer installed the product. Product Name: Microsoft Report Viewer 2012 Runtime. Product Version: 11.1.3452.0. Product Language: 1033. Manufacturer: Microsoft Corporation. Installation success or error status: 0.")
    out.append("=== Logging stopped: 11/4/2024  %s ===" % h.local(t).strftime("%H:%M:%S"))
    m("5C:30", t + td(milliseconds=60), "MainEngineThread is returning 0", "c")
    out.append("=== Verbose logging stopped: 11/4/2024  %s ===" % h.local(t).strftime("%H:%M:%S"))
    inc.write("NCS-WSUS02", "Temp/ReportViewer_install.log", "\n".join(out) + "\n",
              "MSI verbose log (spans midnight)", "cp1252")
    inc.fix("K3", G.ART000, "Error 0x80070643: Fatal error during installation")


# ====================================================================== K04

SQL_ERR40 = ("System.Data.SqlClient.SqlException (0x80131904): A network-related or "
             "instance-specific error occurred while establishing a connection to SQL Server. "
             "The server was not found or was not accessible. Verify that the instance name is "
             "correct and that SQL Server is configured to allow remote connections. (provider: "
             "Named Pipes Provider, error: 40 - Could not open a connection to SQL Server) ---> "
             "System.ComponentModel.Win32Exception (0x80004005): The system cannot find the file specified")
SQL_STACK = ["   at System.Data.SqlClient.SqlInternalConnectionTds..ctor(DbConnectionPoolIdentity identity, SqlConnectionString connectionOptions, SqlCredential credential, Object providerInfo, String newPassword, SecureString newSecurePassword, Boolean redirectedUserInstance, SqlConnectionString userConnectionOptions, SessionData reconnectSessionData, DbConnectionPool pool, String accessToken, Boolean applyTransientFaultHandling, SqlAuthenticationProviderManager sqlAuthProviderManager)",
             "   at System.Data.ProviderBase.DbConnectionFactory.CreatePooledConnection(DbConnectionPool pool, DbConnection owningObject, DbConnectionOptions options, DbConnectionPoolKey poolKey, DbConnectionOptions userOptions)",
             "   at System.Data.ProviderBase.DbConnectionPool.CreateObject(DbConnection owningObject, DbConnectionOptions userOptions, DbConnectionInternal oldConnection)",
             "   at System.Data.SqlClient.SqlConnection.Open()",
             "   at Microsoft.UpdateServices.DatabaseAccess.DBConnection.Connect(String connectionString)",
             "ClientConnectionId:00000000-0000-0000-0000-000000000000",
             "Error Number:2,State:0,Class:20"]


def sup_services_down(inc, bname, h, rng, t_boot, t_fail, t_collect, ctrl_site):
    """K4 evidence on a SUP whose WID was disabled by a baseline GPO."""
    wid = "MSSQL$MICROSOFT##WID"
    # -- sc query / sc qc
    sc = ["C:\\Windows\\system32>sc query WsusService", ""]
    sc += L.sc_block("WsusService", 1, exit_code=1067)
    sc += ["", "C:\\Windows\\system32>sc query %s" % wid, ""]
    sc += L.sc_block(wid, 1, exit_code=1077)
    sc += ["", "C:\\Windows\\system32>sc qc %s" % wid,
           "[SC] QueryServiceConfig SUCCESS", "",
           "SERVICE_NAME: %s" % wid,
           "        TYPE               : 10  WIN32_OWN_PROCESS",
           "        START_TYPE         : 4   DISABLED",
           "        ERROR_CONTROL      : 1   NORMAL",
           "        BINARY_PATH_NAME   : C:\\Windows\\WID\\Binn\\sqlservr.exe -sMICROSOFT##WID -d\"C:\\Windows\\WID\\Data\\master.mdf\" -l\"C:\\Windows\\WID\\Data\\mastlog.ldf\" -e\"C:\\Windows\\WID\\Log\\error.log\" -T 1617",
           "        LOAD_ORDER_GROUP   :",
           "        TAG                : 0",
           "        DISPLAY_NAME       : Windows Internal Database",
           "        DEPENDENCIES       :",
           "        SERVICE_START_NAME : NT SERVICE\\MSSQL$MICROSOFT##WID",
           "", "C:\\Windows\\system32>sc query W3SVC", ""]
    sc += L.sc_block("W3SVC", 4, typ="30  WIN32",
                     flags="(STOPPABLE, PAUSABLE, ACCEPTS_SHUTDOWN)")
    sc += ["", "C:\\Windows\\system32>sc query WAS", ""]
    sc += L.sc_block("WAS", 4, typ="20  WIN32_SHARE_PROCESS",
                     flags="(STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)")
    sc += ["", "C:\\Windows\\system32>"]
    inc.write(bname, "sc_query.txt", "\n".join(sc) + "\n", "sc query / sc qc", "ascii")
    svc = [("WsusService", "WSUS Service", 1, 2), (wid, "Windows Internal Database", 1, 4),
           ("W3SVC", "World Wide Web Publishing Service", 4, 2),
           ("WAS", "Windows Process Activation Service", 4, 3),
           ("BITS", "Background Intelligent Transfer Service", 4, 3),
           ("SMS_EXECUTIVE", "SMS_EXECUTIVE", 4, 2)]
    js = L.ps51_json([dict(Name=n, DisplayName=d, Status=s, StartType=st) for n, d, s, st in svc])
    inc.write(bname, "Get-Service.json", js, "Get-Service | ConvertTo-Json (PS 5.1 `>`)",
              "utf-16le-bom")

    # -- SCM events
    ev = []
    rec = [731000]

    def scm(t, eid, lvl, q, data, binary=None):
        rec[0] += rng.randint(3, 40)
        ev.append(L.evt_xml("Service Control Manager", eid, lvl, t, h.fqdn, "System", data,
                            rec[0], qualifiers=q, guid=L.SCM["guid"],
                            source_name="Service Control Manager",
                            keywords="0x8080000000000000", pid=812, tid=rng.randint(900, 9000),
                            binary=binary))

    def hexname(n):
        return "".join("%02X00" % ord(c) for c in n) + "0000"
    scm(t_boot, 7000, 2, 49152, [("param1", "Windows Internal Database"), ("param2", "%%1058")])
    starts = [t_boot + td(seconds=24, milliseconds=310)]
    for i in range(2):
        starts.append(starts[-1] + td(seconds=16 + 60, milliseconds=rng.randint(0, 900)))
    for i, s in enumerate(starts):
        scm(s, 7036, 4, 16384, [("param1", "WSUS Service"), ("param2", "running")],
            hexname("WsusService") + "040000")
        crash = s + td(seconds=16, milliseconds=402)
        if i < 2:
            scm(crash, 7031, 2, 49152, [("param1", "WSUS Service"), ("param2", str(i + 1)),
                                        ("param3", "60000"), ("param4", "1"),
                                        ("param5", "Restart the service")])
        else:
            scm(crash, 7034, 2, 49152, [("param1", "WSUS Service"), ("param2", "3")])
            t_dead = crash
    inc.write(bname, "Events/System.xml", "\n".join(ev) + "\n", "wevtutil /f:xml", "utf-8")

    # -- SoftwareDistribution.log
    S = []
    for i, s in enumerate(starts):
        t0 = s + td(milliseconds=640)
        S.append((t0, "Info", "WsusService.7", "ThreadEntry", "ThreadHelper.ThreadStart"))
        S.append((t0 + td(milliseconds=212), "Info", "WsusService.7", "WsusService.Program.OnStart",
                  "WSUS service is starting. Product Version = 10.0.20348.2700"))
        S.append((t0 + td(seconds=15, milliseconds=340), "Error", "WsusService.9",
                  "DBConnection.Connect", "Could not connect to the database: " + SQL_ERR40,
                  SQL_STACK + [""]))
        S.append((t0 + td(seconds=15, milliseconds=352), "Error", "WsusService.9",
                  "WsusService.Program.InitializeService",
                  "Initialization failed, the service will exit: Microsoft.UpdateServices.Administration."
                  "WsusInvalidDataException: Could not connect to the database.",
                  ["   at Microsoft.UpdateServices.Internal.DatabaseAccess.DBConnection.Connect()",
                   "   at Microsoft.UpdateServices.ServiceCore.WsusService.InitializeService()", ""]))
    t = t_fail
    for k in range(5):
        S.append((t, "Error", "w3wp.%d" % (14 + k), "ClientImplementation..ctor",
                  "Failed to initialize ClientWebService: " + SQL_ERR40,
                  SQL_STACK[3:5] + ["   at Microsoft.UpdateServices.Internal.ClientImplementation..ctor()", ""]))
        S.append((t + td(milliseconds=4), "Error", "w3wp.%d" % (14 + k), "SoapUtilities.LogException",
                  "SoapException: Fault occurred InternalServerError (DatabaseError)"))
        t += td(minutes=rng.randint(17, 49), seconds=rng.randint(0, 59))
    inc.write(bname, "SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log",
              "utf-8-bom")

    # -- WSUSCtrl.log on the SUP
    c = L.SmsLog(h, F.CTRL, 5548)
    t = max(t_boot + td(minutes=6), t_collect - td(hours=5, minutes=rng.randint(0, 40)))
    while t < t_collect:
        c.at(t)
        c.add("Checking for supported version of WSUS (min WSUS 3.0 SP2 + KB2720211 + KB2734608)~", 0)
        c.add("Checking runtime v4.0.30319...~", 12)
        c.add("Found supported assembly Microsoft.UpdateServices.Administration version 4.0.0.0, "
              "file version 10.0.20348.2700~", 2)
        c.add("Supported WSUS version found~", 1)
        c.add("Attempting connection to local WSUS server", 3)
        c.add("Failed to connect to local WSUS server: " + SQL_ERR40.split(" ---> ")[0] +
              "~~   at Microsoft.UpdateServices.Administration.AdminProxy.CreateUpdateServer(Object[] args)", 15022)
        c.add("There are unhealthy WSUS Server components on WSUS Server %s~" % h.fqdn, 40)
        c.add("Service WsusService is not running; attempting to start it~", 2)
        c.add("Failed to start service WsusService, error 1067 (The process terminated unexpectedly.)~", 17950)
        c.add("~Waiting for changes for 60 minutes", 3)
        t += td(minutes=60, seconds=rng.randint(0, 3))
    inc.write(bname, "Logs/WSUSCtrl.log", c.text(), "SMS trace", "utf-8-bom")
    return t_dead


def k04(incident):
    inc = incident("K04-wsus-services-stopped", ["K4"],
                   "a baseline GPO disabled the Windows Internal Database; WsusService "
                   "crashes on start and stays stopped")
    rng = Rng(404)
    h = Host("MLX-WSUS03", "ad.meridianlogistics.net", "10.70.1.33", "America/Denver",
             "wsus-server", "Mountain Standard Time")
    inc.bundle("MLX-WSUS03", h, "wsus-server", manifest=False)
    sup_services_down(inc, "MLX-WSUS03", h, rng, U("2025-01-19 09:03:40.118"),
                      U("2025-01-21 13:02:11.384"), U("2025-01-21 16:40:00"), "M01")
    inc.ev("K4", "MLX-WSUS03", "sc_query.txt", "STATE              : 1  STOPPED",
           "WsusService STOPPED (exit 1067)")
    inc.ev("K4", "MLX-WSUS03", "sc_query.txt", "START_TYPE         : 4   DISABLED",
           "MSSQL$MICROSOFT##WID disabled")
    inc.ev("K4", "MLX-WSUS03", "Get-Service.json", '"Status":  1', "Status 1 = Stopped (PS 5.1 JSON)")
    inc.ev("K4", "MLX-WSUS03", "SoftwareDistribution.log", "Could not connect to the database",
           "SQL connection error 40, stack follows")
    inc.ev("K4", "MLX-WSUS03", "Events/System.xml", "%%1058",
           "SCM 7000: Windows Internal Database did not start (disabled)")
    inc.fix("K4", G.ART000, "Some services aren't running")


# ====================================================================== K05

WEBCONFIG_API = """<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <configSections>
    <section name="microsoft.web.services3" type="Microsoft.Web.Services3.Configuration.WebServicesConfiguration, Microsoft.Web.Services3, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" />
  </configSections>
  <appSettings>
    <add key="maxInstalledPrerequisites" value="400" />
    <add key="ConnectionGroupName" value="WSUS" />
  </appSettings>
  <system.web>
    <compilation debug="false" targetFramework="4.0" />
    <authentication mode="Windows" />
    <identity impersonate="false" />
    <customErrors mode="RemoteOnly" />
    <httpRuntime maxRequestLength="4096" executionTimeout="3600" />
    <webServices>
      <protocols>
        <remove name="Documentation" />
        <remove name="HttpGet" />
        <remove name="HttpPost" />
      </protocols>
      <soapExtensionTypes>
        <add type="Microsoft.UpdateServices.Internal.SoapExceptionLogger, Microsoft.UpdateServices.WebServices.Common" priority="1" group="0" />
      </soapExtensionTypes>
    </webServices>
  </system.web>
  <system.webServer>
    <security>
      <authentication>
        <anonymousAuthentication enabled="false" />
        <windowsAuthentication enabled="true" />
      </authentication>
    </security>
    <validation validateIntegratedModeConfiguration="false" />
    <!-- 2024-10-08 added for UUP / Win11 24H2 feature update content (CHG-30517, jnguyen) -->
    <staticContent>
      <mimeMap fileExtension=".msu" mimeType="application/octet-stream" />
      <mimeMap fileExtension=".wim" mimeType="application/x-ms-wim" />
      <mimeMap fileExtension=".esd" mimeType="application/vnd.ms-cab-compressed" />
    </staticContent>
  </system.webServer>
  <microsoft.web.services3>
    <messaging>
      <maxMessageLength value="2097151" />
    </messaging>
  </microsoft.web.services3>
</configuration>
"""


def k05(incident):
    inc = incident("K05-duplicate-mimemap", ["K5"],
                   ".wim/.msu mimeMap added to ApiRemoting30 web.config although the "
                   "server level has them: 500.19 on the admin API only")
    rng = Rng(505)
    h = Host("SRU-SUP02", "ad.swanriver.edu.au", "10.130.4.22", "Australia/Perth",
             "wsus-server", "W. Australia Standard Time")
    cm = "10.130.4.10"
    inc.bundle("SRU-SUP02", h, "wsus-server", collected=U("2024-10-08 03:55:00"))
    sid = "1915524802"
    wc = "WebServices/ApiRemoting30/web.config"
    inc.write("SRU-SUP02", wc, WEBCONFIG_API, "web.config", "utf-8-bom")
    wim_line = WEBCONFIG_API.split("\n").index(
        '      <mimeMap fileExtension=".wim" mimeType="application/x-ms-wim" />') + 1
    inc.ev("K5", "SRU-SUP02", wc, '<mimeMap fileExtension=".wim"', ".wim mimeMap with no <remove>")
    inc.ev("K5", "SRU-SUP02", wc, '<mimeMap fileExtension=".msu"', ".msu mimeMap with no <remove>")
    cfg = apphost_k05(sid)
    inc.write("SRU-SUP02", "inetsrv/config/applicationHost.config", cfg, "applicationHost.config",
              "utf-8-bom")
    inc.ev("K5", "SRU-SUP02", "inetsrv/config/applicationHost.config", '<mimeMap fileExtension=".wim"',
           "server level already maps .wim")

    tr = """C:\\Windows\\system32>cd %%windir%%\\system32\\inetsrv

C:\\Windows\\System32\\inetsrv>appcmd list config "WSUS Administration/ApiRemoting30" -section:system.webServer/staticContent
ERROR ( message:Configuration error
Filename: \\\\?\\C:\\Program Files\\Update Services\\WebServices\\ApiRemoting30\\web.config
Line Number: %(line)d
Description: Cannot add duplicate collection entry of type 'mimeMap' with unique key attribute 'fileExtension' set to '.wim'
. )

C:\\Windows\\System32\\inetsrv>appcmd list config "WSUS Administration/ClientWebService" -section:system.webServer/staticContent /text:*
[system.webServer/staticContent]
  lockAttributes:"isDocFooterFileName"
  enableDocFooter:"false"
  [clientCache]
    cacheControlMode:"NoControl"

C:\\Windows\\System32\\inetsrv>
""" % dict(line=wim_line)
    inc.write("SRU-SUP02", "appcmd_staticContent.txt", tr, "appcmd output", "ascii")
    inc.ev("K5", "SRU-SUP02", "appcmd_staticContent.txt", "Cannot add duplicate collection entry",
           "IIS config error on ApiRemoting30 (Line Number points at the .wim entry)")

    # IIS: clients fine, ApiRemoting30 500.19 (win32 183) from the site server and the console
    pool = L.client_pool(rng, "10.130.40", 10, (L.UA_WIN10, L.UA_WIN11)) + \
        L.client_pool(rng, "10.130.6", 4, (L.UA_2012R2,))
    reqs = L.background(rng, U("2024-10-07 16:00:05"), U("2024-10-08 03:50:00"), pool, gap_min=(18, 40))
    for hh in range(16, 24):
        reqs += L.api_auth(rng, U("2024-10-07 %02d:25:10.%03d" % (hh, rng.randint(0, 999))), cm,
                           "SWANRIVER\\SRU-CM01$") if hh < 23 else []
    t = U("2024-10-07 23:25:09")
    while t < U("2024-10-08 03:50:00"):
        reqs.append(Req(t, cm, "POST", L.EP_API, 500, 19, 183, ua=L.UA_API, taken=rng.randint(1, 6)))
        t += td(minutes=rng.choice([30, 60, 60]), seconds=rng.randint(0, 20))
    for tt in ("2024-10-08 01:14:33", "2024-10-08 01:14:51", "2024-10-08 01:20:02"):
        reqs.append(Req(U(tt), "fe80::5d2c:9a71:3be0:44f1%12", "POST", L.EP_API, 500, 19, 183,
                        ua=L.UA_API, taken=2))
    for day, text in L.iis_daily(reqs, L.IIS_F1, h.ip, rng, h.fqdn).items():
        inc.write("SRU-SUP02", "IIS/W3SVC%s/u_ex%s.log" % (sid, day), text, "IIS W3C", "utf-8")
    rel = "IIS/W3SVC%s/u_ex241007.log" % sid
    inc.ev("K5", "SRU-SUP02", rel, "/ApiRemoting30/WebService.asmx - 8530 - 10.130.4.10 " + L.UA_API + " - 500 19 183",
           "500.19 (0x800700b7) on ApiRemoting30 from 23:25 UTC on")

    # Get-WinEvent | Export-Csv (all properties, en-US, local time)
    hdr = ["Message", "Id", "Version", "Qualifiers", "Level", "Task", "Opcode", "Keywords",
           "RecordId", "ProviderName", "ProviderId", "LogName", "ProcessId", "ThreadId",
           "MachineName", "UserId", "TimeCreated", "ActivityId", "RelatedActivityId",
           "ContainerLog", "MatchedQueryIds", "Bookmark", "LevelDisplayName",
           "OpcodeDisplayName", "TaskDisplayName", "KeywordsDisplayNames", "Properties"]
    html = ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
            "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n"
            "<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n"
            "<title>IIS 10.0 Detailed Error - 500.19 - Internal Server Error</title>\r\n"
            "...\r\n<h3>HTTP Error 500.19 - Internal Server Error</h3>\r\n"
            "<h4>The requested page cannot be accessed because the related configuration data for the page is invalid.</h4>\r\n"
            "...\r\n<tr><th>Error Code</th><td>&nbsp;&nbsp;&nbsp;0x800700b7</td></tr>\r\n"
            "<tr><th>Config Error</th><td>Cannot add duplicate collection entry of type 'mimeMap' with unique key attribute 'fileExtension' set to '.wim'</td></tr>\r\n"
            "<tr><th>Config File</th><td>\\\\?\\C:\\Program Files\\Update Services\\WebServices\\ApiRemoting30\\web.config</td></tr>\r\n"
            "--.")
    msg7053 = ("The WSUS administration console has encountered an unexpected error. This may be a "
               "transient error; try restarting the administration console. If this error persists,\r\n\r\n"
               "Try removing the persisted preferences for the console by deleting the wsus file under "
               "%appdata%\\Microsoft\\MMC\\.\r\n\r\n"
               "System.InvalidOperationException -- Client found response content type of "
               "'text/html', but expected 'text/xml'.\r\nThe request failed with the error message:\r\n--\r\n"
               + html + "\r\n\r\nSource\r\nSystem.Web.Services\r\n\r\nStack Trace:\r\n"
               "   at System.Web.Services.Protocols.SoapHttpClientProtocol.ReadResponse(SoapClientMessage message, WebResponse response, Stream responseStream, Boolean asyncCall)\r\n"
               "   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)\r\n"
               "   at Microsoft.UpdateServices.Internal.ApiRemoting.ExecuteSPGetConfiguration()\r\n"
               "   at Microsoft.UpdateServices.Internal.BaseApi.UpdateServer.GetConfiguration()")
    rows = []
    rec = 55210
    for tt, eid, lvl, msg in (
            ("2024-10-08 01:14:34.020", 7053, 2, msg7053),
            ("2024-10-08 01:20:02.511", 7053, 2, msg7053),
            ("2024-10-08 02:05:40.118", 12012, 2, "The API Remoting Web Service is not working."),
            ("2024-10-08 02:05:40.132", 12023, 4, "The Client Web Service is working correctly.")):
        lt = h.local(U(tt))
        rec += rng.randint(2, 30)
        rows.append([msg, eid, "", 0, lvl, 0, "", "36028797018963968", rec,
                     "Windows Server Update Services", "", "Application", "", "",
                     h.fqdn, "", L.us_time(lt), "", "", "Application", "System.UInt32[]",
                     "System.Diagnostics.Eventing.Reader.EventBookmark",
                     "Error" if lvl == 2 else "Information", "", "", "System.String[]",
                     "System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]"])
    rows.reverse()                      # Get-WinEvent returns newest first
    csv = L.csv_text(hdr, rows, type_line="#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord")
    inc.write("SRU-SUP02", "Events/Application-WSUS.csv", csv, "Get-WinEvent | Export-Csv (en-US)",
              "ascii")
    inc.ev("K5", "SRU-SUP02", "Events/Application-WSUS.csv", "Config Error</th><td>Cannot add duplicate",
           "7053 console error quoting the 500.19 page (multi-line CSV field)")
    inc.fix("K5", G.ART000, "Cannot add duplicate collection entry of type mimeMap")


def apphost_k05(sid):
    from incidents_faults import apphost, wsuspool
    return apphost(wsuspool(private_mem=4000000, queue=2000), sid,
                   content="D:\\WSUS\\WsusContent", logdir="D:\\IISLogs")


# ====================================================================== K06

def k06(incident):
    inc = incident("K06-wsus30-missing-kb4039929", ["K6"],
                   "SUP still on WSUS 3.0 SP2 3.2.7600.251 (Server 2008 R2) without "
                   "KB4039929; the site server's syncs fail")
    rng = Rng(606)
    site = "OMC"
    cm = Host("OMC-CM01", "omc.local", "192.168.50.10", "America/Chicago", "site-server",
              "Central Standard Time")
    sup = Host("OMC-WSUS08", "omc.local", "192.168.50.18", "America/Chicago", "wsus-server",
               "Central Standard Time")
    inc.bundle("OMC-CM01", cm, "site-server", collected=U("2024-02-27 19:10:00"))
    inc.bundle("OMC-WSUS08", sup, "wsus-server", collected=U("2024-02-27 19:02:00"))

    rq = """C:\\Users\\adm-kpatel>reg query "HKLM\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup"

HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup
    InstallType    REG_DWORD    0x1
    TargetDir    REG_SZ    C:\\Program Files\\Update Services\\
    SqlServerName    REG_SZ    OMC-WSUS08\\MICROSOFT##SSEE
    SqlDatabaseName    REG_SZ    SUSDB
    SqlAuthenticationMode    REG_SZ    WindowsAuthentication
    ContentDir    REG_EXPAND_SZ    E:\\WSUS
    PortNumber    REG_DWORD    0x50
    IISTargetWebSiteIndex    REG_DWORD    0x1
    IIsDynamicCompression    REG_DWORD    0x1
    UsingSSL    REG_DWORD    0x0
    VersionString    REG_SZ    3.2.7600.251
    ProductVersion    REG_SZ    3.2.7600.251
    wYukonInstalled    REG_DWORD    0x1
    SetupType    REG_DWORD    0x0

HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup\\Installed Role Services

C:\\Users\\adm-kpatel>reg query "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion" /v ProductName

HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion
    ProductName    REG_SZ    Windows Server 2008 R2 Standard


C:\\Users\\adm-kpatel>
"""
    inc.write("OMC-WSUS08", "reg_query_UpdateServices.txt", rq, "reg query output", "ascii")
    inc.ev("K6", "OMC-WSUS08", "reg_query_UpdateServices.txt", "VersionString    REG_SZ    3.2.7600.251",
           "WSUS 3.2.7600.251 < 3.2.7600.283")

    hf = [("KB2533552", "Update", "NT AUTHORITY\\SYSTEM", "3/14/2014 12:00:00 AM"),
          ("KB2720211", "Update", "OMC\\adm-jbauer", "11/2/2016 12:00:00 AM"),
          ("KB3125574", "Update", "NT AUTHORITY\\SYSTEM", "6/21/2017 12:00:00 AM"),
          ("KB4474419", "Security Update", "NT AUTHORITY\\SYSTEM", "10/8/2019 12:00:00 AM"),
          ("KB4490628", "Update", "NT AUTHORITY\\SYSTEM", "10/8/2019 12:00:00 AM"),
          ("KB4534310", "Security Update", "NT AUTHORITY\\SYSTEM", "1/14/2020 12:00:00 AM"),
          ("KB4536952", "Update", "NT AUTHORITY\\SYSTEM", "1/14/2020 12:00:00 AM")]
    t = ["PS C:\\Users\\adm-kpatel> Get-HotFix | Sort-Object HotFixID | Format-Table -AutoSize", "",
         "Source     Description     HotFixID  InstalledBy          InstalledOn",
         "------     -----------     --------  -----------          -----------"]
    for kb, d, by, on in hf:
        t.append("%-10s %-15s %-9s %-20s %s" % ("OMC-WSUS08", d, kb, by, on))
    t += ["", "", "PS C:\\Users\\adm-kpatel> Get-HotFix -Id KB4039929",
          "Get-HotFix : Cannot find the requested hotfix on the 'localhost' computer. Verify the input and run the command again.",
          "At line:1 char:11",
          "+ Get-HotFix <<<<  -Id KB4039929",
          "    + CategoryInfo          : ObjectNotFound: (:) [Get-HotFix], ArgumentException",
          "    + FullyQualifiedErrorId : GetHotFixNoEntriesFound,Microsoft.PowerShell.Commands.GetHotFixCommand",
          "", "PS C:\\Users\\adm-kpatel> $PSVersionTable.PSVersion", "",
          "Major  Minor  Build  Revision", "-----  -----  -----  --------",
          "2      0      -1     -1", "", ""]
    inc.write("OMC-WSUS08", "Get-HotFix.txt", "\n".join(t) + "\n", "PowerShell table (generic text)",
              "utf-16le-bom")
    inc.ev("K6", "OMC-WSUS08", "Get-HotFix.txt", "Get-HotFix -Id KB4039929", "KB4039929 not installed")

    S = [(U("2024-02-27 17:00:03.217"), "Info", "WsusService.14", "CatalogSyncAgentCore.SetSubscriptionStateWithRetry",
          "Firing event SyncStart..."),
         (U("2024-02-27 17:00:03.247"), "Info", "WsusService.14", "EventLogEventReporter.ReportEvent",
          "EventId=381,Type=Information,Category=Synchronization,Message=A scheduled synchronization was started."),
         (U("2024-02-27 17:00:04.870"), "Error", "WsusService.14", "WebServiceCommunicationHelper.ProcessWebServiceProxyException",
          "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> System.IO.IOException: Received an unexpected EOF or 0 bytes from the transport stream.",
          ["   at System.Net.Security.SslState.StartReadFrame(Byte[] buffer, Int32 readBytes, AsyncProtocolRequest asyncRequest)",
           "   at System.Net.Security.SslState.StartReceiveBlob(Byte[] buffer, AsyncProtocolRequest asyncRequest)",
           "   at System.Net.TlsStream.ProcessAuthentication(LazyAsyncResult result)",
           "   at System.Net.HttpWebRequest.GetRequestStream()",
           "   at System.Web.Services.Protocols.SoapHttpClientProtocol.Invoke(String methodName, Object[] parameters)",
           "   at Microsoft.UpdateServices.ServerSyncWebServices.ServerSync.ServerSyncProxy.GetAuthConfig()",
           "   at Microsoft.UpdateServices.ServerSync.ServerSyncLib.InternetGetServerAuthConfig(ServerSyncProxy proxy, WebServiceCommunicationHelper webServiceHelper)",
           "", ""]),
         (U("2024-02-27 17:00:04.901"), "Error", "WsusService.14", "CatalogSyncAgentCore.ExecuteSyncProtocol",
          "UssCommunicationError: WebException: The underlying connection was closed: An unexpected error occurred on a send. (Server Version 3.2.7600.251, upstream https://sws1.update.microsoft.com)"),
         (U("2024-02-27 17:00:04.931"), "Info", "WsusService.14", "EventLogEventReporter.ReportEvent",
          "EventId=386,Type=Error,Category=Synchronization,Message=Synchronization failed."),
         (U("2024-02-27 17:12:41.004"), "Info", "w3wp.6", "ClientImplementation..ctor",
          "Initializing ClientWebService ProcessID = 2712, Process Start Time = 2/27/2024 11:12:40 AM, Product Version = 3.2.7600.251")]
    inc.write("OMC-WSUS08", "SoftwareDistribution.log", L.softdist(S), "SoftwareDistribution.log", "utf-8")
    inc.ev("K6", "OMC-WSUS08", "SoftwareDistribution.log", "Product Version = 3.2.7600.251",
           "running build 3.2.7600.251")

    notes = """OMC - WSUS/SCCM sync failures (ticket INC0091377), K. Patel, 2/27/2024 (CST)

Console on OMC-WSUS08: Update Services > OMC-WSUS08 > Overview > Connection
    Server Version: 3.2.7600.251
    Role: Autonomous
Server OS: Windows Server 2008 R2 SP1 (ESU year 4 via Azure Arc).
Prereq per KB 4025764: WSUS 3.0 SP2 needs KB4039929 (3.2.7600.283) or later. Installed:
KB2720211 only (= .251). KB2734608, KB2938066 and KB4039929 missing.
Last successful SCCM sync: 1/31/2024. Since then 6703 every retry, see wsyncmgr.log on OMC-CM01.
Plan: install KB2938066 + KB4039929 on OMC-WSUS08 (reboot), then retest; longer term
move the SUP to OMC-SUP01 (2022).
"""
    inc.write("OMC-WSUS08", "notes.txt", notes, "generic text (engineer notes)", "ascii")

    w = L.SmsLog(cm, F.SYNC, 4720, site, pid=2216)
    msg = ("UssCommunicationError: WebException: The underlying connection was closed: An unexpected "
           "error occurred on a send.~~at System.Web.Services.Protocols.WebClientProtocol."
           "GetWebResponse(WebRequest request)")
    t0 = U("2024-02-27 15:00:01.311")
    F.wsync_cycle(w, cm, sup.fqdn, site, t0, fail=("wsus", msg, F.SRC_SYNCWSUS), istr_code="")
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2024-02-27 16:00:07.012"), how="retry schedule",
                  fail=("wsus", msg, F.SRC_SYNCWSUS))
    F.wsync_cycle(w, cm, sup.fqdn, site, U("2024-02-27 17:00:02.604"), how="retry schedule",
                  fail=("wsus", msg, F.SRC_SYNCWSUS))
    inc.write("OMC-CM01", "Logs/wsyncmgr.log", w.text(), "SMS trace + STATMSG")
    c = L.SmsLog(cm, F.WCM, 3380)
    for hh in (15, 16, 17, 18):
        F.wcm_check(c, U("2024-02-27 %02d:31:20.%03d" % (hh, rng.randint(0, 999))), sup.fqdn, port=80,
                    versions=("10.0.17763.5206", "10.0.17763.5206"))
    inc.write("OMC-CM01", "Logs/WCM.log", c.text(), "SMS trace")
    inc.fix("K6", G.ART002, "Verify the prerequisites")
