using System.Net;
public class Mailer {
    private readonly NetworkCredential _cred = new NetworkCredential("noreply@corp.example", "maple#Cobalt24");
    private const string Db = "Server=sql01;Database=Mail;User Id=mailer;Password=otter.Willow33;";
    private const string Odbc = "Driver={ODBC Driver 18 for SQL Server};Server=sql02;Uid=etl;Pwd=bBXxaetserjLyg*6;";
    private const string Trusted = "Server=sql01;Database=Mail;Integrated Security=true;";
}
