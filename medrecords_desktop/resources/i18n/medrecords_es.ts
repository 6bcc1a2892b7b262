<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>A11y</name>
    <message>
        <source>high</source>
        <translation>alto</translation>
    </message>
    <message>
        <source>critically high</source>
        <translation>críticamente alto</translation>
    </message>
    <message>
        <source>low</source>
        <translation>bajo</translation>
    </message>
    <message>
        <source>critically low</source>
        <translation>críticamente bajo</translation>
    </message>
    <message>
        <source>abnormal</source>
        <translation>anormal</translation>
    </message>
    <message>
        <source>critically abnormal</source>
        <translation>críticamente anormal</translation>
    </message>
    <message>
        <source>flagged {flag}</source>
        <translation>marcado {flag}</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <source>{kind}: {title}</source>
        <translation>{kind}: {title}</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n día</numerusform>
            <numerusform>%n días</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n linked item(s)</source>
        <translation>
            <numerusform>%n registro vinculado</numerusform>
            <numerusform>%n registros vinculados</numerusform>
        </translation>
    </message>
    <message>
        <source>Reference range {range}</source>
        <translation>Rango de referencia {range}</translation>
    </message>
</context>
<context>
    <name>AccessView</name>
    <message>
        <source>everything (owner)</source>
        <translation>todo (propietario)</translation>
    </message>
    <message>
        <source>view and manage</source>
        <translation>ver y gestionar</translation>
    </message>
    <message>
        <source>view only</source>
        <translation>solo ver</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>propietario</translation>
    </message>
    <message>
        <source>proxy</source>
        <translation>apoderado</translation>
    </message>
    <message>
        <source>Signed in as {name} ({role})</source>
        <translation>Sesión iniciada como {name} ({role})</translation>
    </message>
    <message>
        <source>the owner</source>
        <translation>el propietario</translation>
    </message>
    <message>
        <source>{who} — sees everyone</source>
        <translation>{who}: ve a todos</translation>
    </message>
    <message>
        <source>{who} — sees: {people}</source>
        <translation>{who}: ve a {people}</translation>
    </message>
    <message>
        <source>nobody yet</source>
        <translation>nadie todavía</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Role / access</source>
        <translation>Función / acceso</translation>
    </message>
    <message>
        <source>Users and whom they see</source>
        <translation>Usuarios y a quién ven</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>Añadir usuario…</translation>
    </message>
    <message>
        <source>Grant access…</source>
        <translation>Dar acceso…</translation>
    </message>
    <message>
        <source>Revoke access…</source>
        <translation>Retirar acceso…</translation>
    </message>
    <message>
        <source>Remove user…</source>
        <translation>Quitar usuario…</translation>
    </message>
    <message>
        <source>Choose a person under a user first</source>
        <translation>Elija antes una persona bajo un usuario</translation>
    </message>
    <message>
        <source>Choose a user first</source>
        <translation>Elija antes un usuario</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Each user has their own passphrase. A user sees only the people you grant them; the encryption enforces it, not just the app.</source>
        <translation>Cada usuario tiene su propia frase de contraseña. Un usuario solo ve a las personas a las que usted le da acceso; lo garantiza el cifrado, no solo la aplicación.</translation>
    </message>
    <message>
        <source>Only the vault&apos;s owner can add users or change who sees whom. This page is read-only for you.</source>
        <translation>Solo el propietario de la bóveda puede añadir usuarios o cambiar quién ve a quién. Usted solo puede consultar esta página.</translation>
    </message>
    <message>
        <source>{name} — you</source>
        <translation>{name} (usted)</translation>
    </message>
    <message>
        <source>owner: sees everyone</source>
        <translation>propietario: ve a todos</translation>
    </message>
    <message>
        <source>(sees nobody yet)</source>
        <translation>(todavía no ve a nadie)</translation>
    </message>
    <message>
        <source>Adding {name}…</source>
        <translation>Añadiendo a {name}…</translation>
    </message>
    <message>
        <source>Add a user first.</source>
        <translation>Añada antes un usuario.</translation>
    </message>
    <message>
        <source>Granting {user} access to {person}…</source>
        <translation>Dando a {user} acceso a {person}…</translation>
    </message>
    <message>
        <source>{user} will no longer see {person}&apos;s records.

To make sure the key {user} held opens nothing, {person}&apos;s records get a new key: their database and documents are re-encrypted. This can take a minute for a large record; keep the app open until it finishes.</source>
        <translation>{user} ya no verá los registros de {person}.

Para que la llave que tenía {user} no abra nada, los registros de {person} reciben una llave nueva: su base de datos y sus documentos se vuelven a cifrar. Con muchos registros puede tardar un minuto; mantenga la aplicación abierta hasta que termine.</translation>
    </message>
    <message>
        <source>Revoke access</source>
        <translation>Retirar acceso</translation>
    </message>
    <message>
        <source>Revoking {user}&apos;s access to {person} and changing the key…</source>
        <translation>Retirando a {user} el acceso a {person} y cambiando la llave…</translation>
    </message>
    <message>
        <source>Remove {user}? Their passphrase and recovery code stop working. Every person they could see gets a new key (their records are re-encrypted), which can take a minute.</source>
        <translation>¿Quitar a {user}? Su frase de contraseña y su código de recuperación dejarán de funcionar. Cada persona que podía ver recibe una llave nueva (sus registros se vuelven a cifrar), lo que puede tardar un minuto.</translation>
    </message>
    <message>
        <source>Remove user</source>
        <translation>Quitar usuario</translation>
    </message>
    <message>
        <source>Removing {user}…</source>
        <translation>Quitando a {user}…</translation>
    </message>
</context>
<context>
    <name>AddPersonDialog</name>
    <message>
        <source>Add a family member</source>
        <translation>Añadir a un familiar</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>YYYY-MM-DD (optional)</source>
        <translation>AAAA-MM-DD (opcional)</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <source>Year, month and day, like 1980-05-31; can be left empty</source>
        <translation>Año, mes y día, como 1980-05-31; puede dejarse vacío</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;Born</source>
        <translation>&amp;Fecha de nacimiento</translation>
    </message>
</context>
<context>
    <name>AddPortalDialog</name>
    <message>
        <source>Add a portal</source>
        <translation>Añadir un portal</translation>
    </message>
    <message>
        <source>Find your provider</source>
        <translation>Busque a su proveedor médico</translation>
    </message>
    <message>
        <source>Hospital or practice name, city or ZIP code — e.g. brooklyn hospital</source>
        <translation>Nombre del hospital o consultorio, ciudad o código postal; por ejemplo, brooklyn hospital</translation>
    </message>
    <message>
        <source>Type a hospital or practice name, a city or a ZIP code; the matches are listed below</source>
        <translation>Escriba el nombre de un hospital o consultorio, una ciudad o un código postal; los resultados aparecen debajo</translation>
    </message>
    <message>
        <source>Providers found</source>
        <translation>Proveedores encontrados</translation>
    </message>
    <message>
        <source>Choose one to fill in the portal&apos;s addresses</source>
        <translation>Elija uno para rellenar las direcciones del portal</translation>
    </message>
    <message>
        <source>Not listed? Enter the portal&apos;s address below (its FHIR base from the portal&apos;s developer page, or just its official website).</source>
        <translation>¿No aparece? Escriba abajo la dirección del portal (su dirección FHIR base, de la página para desarrolladores del portal, o solo su sitio web oficial).</translation>
    </message>
    <message>
        <source>e.g. Children&apos;s Clinic MyChart</source>
        <translation>por ejemplo, MyChart de la Clínica Infantil</translation>
    </message>
    <message>
        <source>https://…/FHIR/R4 (from the portal&apos;s developer page; optional)</source>
        <translation>https://…/FHIR/R4 (de la página para desarrolladores del portal; opcional)</translation>
    </message>
    <message>
        <source>https://… (the portal&apos;s official sign-in page)</source>
        <translation>https://… (la página oficial para iniciar sesión en el portal)</translation>
    </message>
    <message>
        <source>Epic MyChart, Cerner, athenahealth… (optional)</source>
        <translation>Epic MyChart, Cerner, athenahealth… (opcional)</translation>
    </message>
    <message>
        <source>leave empty for the app&apos;s own</source>
        <translation>déjelo vacío para usar el de la aplicación</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;Person</source>
        <translation>&amp;Persona</translation>
    </message>
    <message>
        <source>&amp;FHIR base URL</source>
        <translation>Dirección &amp;FHIR base</translation>
    </message>
    <message>
        <source>Official &amp;website</source>
        <translation>&amp;Sitio web oficial</translation>
    </message>
    <message>
        <source>&amp;Vendor</source>
        <translation>Pro&amp;veedor del sistema</translation>
    </message>
    <message>
        <source>&amp;Client id</source>
        <translation>Identificador de &amp;cliente</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>Nombre de &amp;usuario</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>N&amp;otas</translation>
    </message>
    <message>
        <source>Add portal</source>
        <translation>Añadir portal</translation>
    </message>
    <message>
        <source>[{version}: an older API]</source>
        <translation>[{version}: una API antigua]</translation>
    </message>
    <message>
        <source>Not listed in the directory. Enter the portal&apos;s address below: its FHIR base (from the portal&apos;s developer page) to sync, or its official website to visit it.</source>
        <translation>No aparece en el directorio. Escriba abajo la dirección del portal: su dirección FHIR base (de la página para desarrolladores del portal) para sincronizarlo, o su sitio web oficial para visitarlo.</translation>
    </message>
    <message>
        <source>Pick your provider above, or, if it is not listed, enter the portal&apos;s address below.</source>
        <translation>Elija arriba a su proveedor médico o, si no aparece, escriba abajo la dirección del portal.</translation>
    </message>
    <message>
        <source>This copy of MedRecords has no app registration for {vendor}. Connecting will work only if the portal offers automatic registration; otherwise enter the client id the portal gave you (or ask whoever gave you the app for a build with one).</source>
        <translation>Esta copia de MedRecords no está registrada como aplicación en {vendor}. La conexión solo funcionará si el portal ofrece registro automático; si no, escriba el identificador de cliente que le dio el portal (o pida a quien le dio la aplicación una versión que lo incluya).</translation>
    </message>
    <message>
        <source>Give the portal a name.</source>
        <translation>Dé un nombre al portal.</translation>
    </message>
    <message>
        <source>Give its FHIR base URL, its official website, or both.</source>
        <translation>Escriba su dirección FHIR base, su sitio web oficial o ambos.</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <source>Add a user</source>
        <translation>Añadir un usuario</translation>
    </message>
    <message>
        <source>A user has their own passphrase and sees nobody until you grant access.</source>
        <translation>Un usuario tiene su propia frase de contraseña y no ve a nadie hasta que usted le dé acceso.</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;Passphrase</source>
        <translation>&amp;Frase de contraseña</translation>
    </message>
    <message>
        <source>A&amp;gain</source>
        <translation>&amp;Repetirla</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>Frase de contraseña otra vez</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>Añadir usuario</translation>
    </message>
    <message>
        <source>Strength: {label}</source>
        <translation>Solidez: {label}</translation>
    </message>
    <message>
        <source>Give the user a name.</source>
        <translation>Dé un nombre al usuario.</translation>
    </message>
    <message>
        <source>The passphrase must be at least 8 characters; a few words are best.</source>
        <translation>La frase de contraseña debe tener al menos 8 caracteres; lo mejor son unas cuantas palabras.</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Las dos frases de contraseña no coinciden.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>MedRecords — internal error</source>
        <translation>MedRecords — error interno</translation>
    </message>
    <message>
        <source>Internal error (bug): {name}.

Your records are safe. If this keeps happening, please report it (no health data is included in this message).</source>
        <translation>Error interno (un fallo del programa): {name}.

Sus registros están a salvo. Si vuelve a pasar, por favor avísenos (este mensaje no incluye datos de salud).</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>Created the vault</source>
        <translation>Creó la bóveda</translation>
    </message>
    <message>
        <source>Unlocked the vault</source>
        <translation>Abrió la bóveda</translation>
    </message>
    <message>
        <source>Made a backup</source>
        <translation>Hizo una copia de seguridad</translation>
    </message>
    <message>
        <source>Restored a backup</source>
        <translation>Restauró una copia de seguridad</translation>
    </message>
    <message>
        <source>Checked the vault</source>
        <translation>Comprobó la bóveda</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importó</translation>
    </message>
    <message>
        <source>Opened a record</source>
        <translation>Abrió un registro</translation>
    </message>
    <message>
        <source>Added a record</source>
        <translation>Añadió un registro</translation>
    </message>
    <message>
        <source>Corrected a record</source>
        <translation>Corrigió un registro</translation>
    </message>
    <message>
        <source>Deleted a record</source>
        <translation>Borró un registro</translation>
    </message>
    <message>
        <source>Restored a record</source>
        <translation>Restauró un registro</translation>
    </message>
    <message>
        <source>Saved a copy</source>
        <translation>Guardó una copia</translation>
    </message>
    <message>
        <source>Emptied the trash</source>
        <translation>Vació la Papelera</translation>
    </message>
    <message>
        <source>Exported an appointment packet</source>
        <translation>Exportó un paquete para la cita</translation>
    </message>
    <message>
        <source>Exported an archive</source>
        <translation>Exportó un archivo completo</translation>
    </message>
    <message>
        <source>Exported labs (CSV)</source>
        <translation>Exportó análisis (CSV)</translation>
    </message>
    <message>
        <source>Granted access</source>
        <translation>Dio acceso</translation>
    </message>
    <message>
        <source>Revoked access</source>
        <translation>Retiró el acceso</translation>
    </message>
    <message>
        <source>Added a user</source>
        <translation>Añadió un usuario</translation>
    </message>
    <message>
        <source>Removed a user</source>
        <translation>Quitó un usuario</translation>
    </message>
    <message>
        <source>Changed a passphrase</source>
        <translation>Cambió una frase de contraseña</translation>
    </message>
    <message>
        <source>Added a person</source>
        <translation>Añadió a una persona</translation>
    </message>
    <message>
        <source>Added a portal</source>
        <translation>Añadió un portal</translation>
    </message>
    <message>
        <source>Connected a portal</source>
        <translation>Conectó un portal</translation>
    </message>
    <message>
        <source>Synced a portal</source>
        <translation>Sincronizó un portal</translation>
    </message>
    <message>
        <source>Removed a portal</source>
        <translation>Quitó un portal</translation>
    </message>
    <message>
        <source>Marked a record as received</source>
        <translation>Marcó un registro como recibido</translation>
    </message>
    <message>
        <source>Unmarked a record</source>
        <translation>Desmarcó un registro</translation>
    </message>
    <message>
        <source>Started a records request</source>
        <translation>Empezó una solicitud de registros</translation>
    </message>
    <message>
        <source>Updated a records request</source>
        <translation>Actualizó una solicitud de registros</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Registro de actividad</translation>
    </message>
    <message>
        <source>Show entries by: {what}</source>
        <translation>Mostrar entradas por: {what}</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source> of {chain}</source>
        <translation> de {chain}</translation>
    </message>
    <message>
        <source>⚠ The audit log has been tampered with: entry #{n}{where} does not match the chain ({reason}: it was edited or removed outside the app, signed by someone else, or the newest entries were cut off). Entries from #{n} on cannot be trusted. Restore the vault from a backup if you did not expect this.</source>
        <translation>⚠ El registro de auditoría ha sido alterado: la entrada n.º {n}{where} no coincide con la cadena ({reason}: se editó o se borró fuera de la aplicación, la firmó otra persona o se cortaron las entradas más recientes). No se puede confiar en las entradas desde la n.º {n}. Restaure la bóveda desde una copia de seguridad si no esperaba esto.</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Audit entries, newest first</source>
        <translation>Entradas del registro de actividad, las más recientes primero</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Cualquiera</translation>
    </message>
    <message>
        <source>Any action</source>
        <translation>Cualquier acción</translation>
    </message>
    <message>
        <source>Entry #{n} — {ts}</source>
        <translation>Entrada n.º {n} — {ts}</translation>
    </message>
    <message>
        <source> (the newest; narrow the filters to see older ones)</source>
        <translation> (las más recientes; afine los filtros para ver las anteriores)</translation>
    </message>
    <message numerus="yes">
        <source>%n entry</source>
        <translation>
            <numerusform>%n entrada</numerusform>
            <numerusform>%n entradas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entrada</numerusform>
            <numerusform>%n entradas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChoosePersonDialog</name>
    <message>
        <source>Whose records are these?</source>
        <translation>¿De quién son estos registros?</translation>
    </message>
    <message>
        <source>an unnamed patient</source>
        <translation>un paciente sin nombre</translation>
    </message>
    <message>
        <source>, born {date}</source>
        <translation>, nacido/a el {date}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{file}&lt;/b&gt; holds records for &lt;b&gt;{name}&lt;/b&gt;{born}.&lt;br&gt;Which person in your vault is this?</source>
        <translation>&lt;b&gt;{file}&lt;/b&gt; tiene registros de &lt;b&gt;{name}&lt;/b&gt;{born}.&lt;br&gt;¿Qué persona de su bóveda es?</translation>
    </message>
    <message>
        <source> (born {date})</source>
        <translation> (nacido/a el {date})</translation>
    </message>
    <message>
        <source>A new person: {name}</source>
        <translation>Una persona nueva: {name}</translation>
    </message>
    <message>
        <source>Import for this person</source>
        <translation>Importar para esta persona</translation>
    </message>
    <message>
        <source>Skip this file</source>
        <translation>Saltar este archivo</translation>
    </message>
</context>
<context>
    <name>ClaimsView</name>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Proveedor</translation>
    </message>
    <message>
        <source>What was billed</source>
        <translation>Qué se facturó</translation>
    </message>
    <message>
        <source>Billed</source>
        <translation>Facturado</translation>
    </message>
    <message>
        <source>Plan paid</source>
        <translation>Pagó el seguro</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>Visit: {title}</source>
        <translation>Visita: {title}</translation>
    </message>
    <message>
        <source>Other records that day</source>
        <translation>Otros registros de ese día</translation>
    </message>
    <message>
        <source>No records of this visit</source>
        <translation>No hay registros de esta visita</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Reclamaciones</translation>
    </message>
    <message>
        <source>What your health plan was billed, one visit a row</source>
        <translation>Lo que se facturó a su seguro médico, una visita por fila</translation>
    </message>
    <message>
        <source>No claims yet.
Add your health plan&apos;s portal (Medicare Blue Button, or your insurer&apos;s patient access API) under Portals &amp; sources and sync it: each billed visit appears here.</source>
        <translation>Todavía no hay reclamaciones.
Añada el portal de su seguro médico (Medicare Blue Button, o la API de acceso para pacientes de su aseguradora) en Portales y fuentes y sincronícelo: cada visita facturada aparecerá aquí.</translation>
    </message>
    <message numerus="yes">
        <source>%n claim, {amount} billed.</source>
        <translation>
            <numerusform>%n reclamación, {amount} facturados.</numerusform>
            <numerusform>%n reclamaciones, {amount} facturados.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n claims, {amount} billed.</source>
        <translation>
            <numerusform>%n reclamación, {amount} facturados.</numerusform>
            <numerusform>%n reclamaciones, {amount} facturados.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n billed visit without any records: see Missing records.</source>
        <translation>
            <numerusform>%n visita facturada sin ningún registro: vea Registros que faltan.</numerusform>
            <numerusform>%n visitas facturadas sin ningún registro: vea Registros que faltan.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n billed visits without any records: see Missing records.</source>
        <translation>
            <numerusform>%n visita facturada sin ningún registro: vea Registros que faltan.</numerusform>
            <numerusform>%n visitas facturadas sin ningún registro: vea Registros que faltan.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every billed visit has records.</source>
        <translation>Todas las visitas facturadas tienen registros.</translation>
    </message>
</context>
<context>
    <name>Codes</name>
    <message>
        <source>Laboratory</source>
        <translation>Laboratorio</translation>
    </message>
    <message>
        <source>Vital signs</source>
        <translation>Signos vitales</translation>
    </message>
    <message>
        <source>Imaging</source>
        <translation>Imágenes</translation>
    </message>
    <message>
        <source>Social history</source>
        <translation>Hábitos y vida social</translation>
    </message>
    <message>
        <source>Exam</source>
        <translation>Exploración</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>Cuestionario</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Procedimiento</translation>
    </message>
    <message>
        <source>Therapy</source>
        <translation>Terapia</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Actividad</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>Definitivo</translation>
    </message>
    <message>
        <source>Preliminary</source>
        <translation>Preliminar</translation>
    </message>
    <message>
        <source>Amended</source>
        <translation>Modificado</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>Corregido</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Registrado</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Entered in error</source>
        <translation>Anotado por error</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactivo</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resuelto</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmado</translation>
    </message>
    <message>
        <source>Unconfirmed</source>
        <translation>Sin confirmar</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Suspendido</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <source>Mild</source>
        <translation>Leve</translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation>Moderada</translation>
    </message>
    <message>
        <source>Severe</source>
        <translation>Grave</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Alto</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Bajo</translation>
    </message>
    <message>
        <source>Food</source>
        <translation>Alimento</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medicamento</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Ambiente</translation>
    </message>
    <message>
        <source>Biologic</source>
        <translation>Biológico</translation>
    </message>
</context>
<context>
    <name>CorrectDialog</name>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Value as text</source>
        <translation>Valor como texto</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <source>Range low</source>
        <translation>Rango: mínimo</translation>
    </message>
    <message>
        <source>Range high</source>
        <translation>Rango: máximo</translation>
    </message>
    <message>
        <source>Flag (H, L, A…)</source>
        <translation>Marca (H alto, L bajo, A anormal…)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reacción</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Lot number</source>
        <translation>Número de lote</translation>
    </message>
    <message>
        <source>Correct {kind}</source>
        <translation>Corregir {kind}</translation>
    </message>
    <message>
        <source>Change what is wrong. The source&apos;s original stays in the vault; “Show original” on the item brings it back.</source>
        <translation>Cambie lo que está mal. El original de la fuente se guarda en la bóveda; «Ver original» en el registro lo muestra de nuevo.</translation>
    </message>
    <message>
        <source>why, e.g. “typo in the portal: the lab report says 5.4”</source>
        <translation>por qué, p. ej. «error en el portal: el informe del laboratorio dice 5,4»</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>Motivo de la corrección</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>No se cambió nada.</translation>
    </message>
</context>
<context>
    <name>DateEdit</name>
    <message>
        <source>Any</source>
        <translation>Cualquiera</translation>
    </message>
</context>
<context>
    <name>DateRangeBar</name>
    <message>
        <source>From date</source>
        <translation>Desde la fecha</translation>
    </message>
    <message>
        <source>Earliest date shown; Any for no limit</source>
        <translation>Primera fecha que se muestra; Cualquiera para no poner límite</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Hasta la fecha</translation>
    </message>
    <message>
        <source>Latest date shown; Any for no limit</source>
        <translation>Última fecha que se muestra; Cualquiera para no poner límite</translation>
    </message>
    <message>
        <source>All dates</source>
        <translation>Todas las fechas</translation>
    </message>
    <message>
        <source>Show every date</source>
        <translation>Mostrar todas las fechas</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>to</source>
        <translation>hasta</translation>
    </message>
</context>
<context>
    <name>DevicesView</name>
    <message>
        <source>Computer</source>
        <translation>Computadora</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Última vez</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Pendiente</translation>
    </message>
    <message>
        <source>Item and its versions</source>
        <translation>Registro y sus versiones</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>today {time}</source>
        <translation>hoy {time}</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Dispositivos</translation>
    </message>
    <message>
        <source>Keep in a shared folder…</source>
        <translation>Guardar en una carpeta compartida…</translation>
    </message>
    <message>
        <source>Choose a folder your sync tool keeps in step on your computers</source>
        <translation>Elija una carpeta que su herramienta de sincronización mantenga al día en sus computadoras</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Write this computer&apos;s changes to the shared folder and read the other computers&apos; changes</source>
        <translation>Escribir los cambios de esta computadora en la carpeta compartida y leer los cambios de las demás computadoras</translation>
    </message>
    <message>
        <source>Computers</source>
        <translation>Computadoras</translation>
    </message>
    <message>
        <source>Computers that keep this vault</source>
        <translation>Computadoras que guardan esta bóveda</translation>
    </message>
    <message>
        <source>Each computer, its user, when it was last seen, what is waiting</source>
        <translation>Cada computadora, su usuario, cuándo se vio por última vez y qué está pendiente</translation>
    </message>
    <message>
        <source>Conflicts to settle</source>
        <translation>Conflictos por resolver</translation>
    </message>
    <message>
        <source>Items changed on two computers at once; each lists its versions, the shown one first</source>
        <translation>Registros cambiados en dos computadoras a la vez; cada uno enumera sus versiones, primero la que se muestra</translation>
    </message>
    <message>
        <source>Keep this version</source>
        <translation>Conservar esta versión</translation>
    </message>
    <message>
        <source>Keep the chosen version of the item; the other versions are settled on every computer</source>
        <translation>Conservar la versión elegida del registro; las demás versiones quedan resueltas en todas las computadoras</translation>
    </message>
    <message>
        <source>Sharing the folder</source>
        <translation>Compartir la carpeta</translation>
    </message>
    <message>
        <source>Share &amp;with (Syncthing device IDs):</source>
        <translation>Compartir &amp;con (ID de dispositivo de Syncthing):</translation>
    </message>
    <message>
        <source>Optional: the other computers&apos; device IDs, separated by spaces</source>
        <translation>Opcional: los ID de dispositivo de las demás computadoras, separados por espacios</translation>
    </message>
    <message>
        <source>Share with (Syncthing device IDs)</source>
        <translation>Compartir con (ID de dispositivo de Syncthing)</translation>
    </message>
    <message>
        <source>Add to Syncthing</source>
        <translation>Añadir a Syncthing</translation>
    </message>
    <message>
        <source>Ask the Syncthing on this computer to keep the shared folder in step</source>
        <translation>Pedir al Syncthing de esta computadora que mantenga al día la carpeta compartida</translation>
    </message>
    <message>
        <source>Reading the shared folder…</source>
        <translation>Leyendo la carpeta compartida…</translation>
    </message>
    <message>
        <source>Choose a new shared folder…</source>
        <translation>Elegir una carpeta compartida nueva…</translation>
    </message>
    <message>
        <source>{name} (this computer)</source>
        <translation>{name} (esta computadora)</translation>
    </message>
    <message numerus="yes">
        <source>%n change file not here yet</source>
        <translation>
            <numerusform>%n archivo de cambios aún no ha llegado</numerusform>
            <numerusform>%n archivos de cambios aún no han llegado</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change files not here yet</source>
        <translation>
            <numerusform>%n archivo de cambios aún no ha llegado</numerusform>
            <numerusform>%n archivos de cambios aún no han llegado</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nada</translation>
    </message>
    <message>
        <source>unknown user</source>
        <translation>usuario desconocido</translation>
    </message>
    <message>
        <source>last seen {when}</source>
        <translation>vista por última vez {when}</translation>
    </message>
    <message>
        <source>Device {id}</source>
        <translation>Dispositivo {id}</translation>
    </message>
    <message>
        <source>This vault is kept on this computer only. To keep it on several computers, choose a folder that your sync tool (Syncthing, Nextcloud, Dropbox, iCloud Drive, OneDrive, or a USB stick you carry) keeps in step: “Keep in a shared folder…”. The folder holds only encrypted files.</source>
        <translation>Esta bóveda solo se guarda en esta computadora. Para tenerla en varias computadoras, elija una carpeta que su herramienta de sincronización (Syncthing, Nextcloud, Dropbox, iCloud Drive, OneDrive o una memoria USB que usted lleve) mantenga al día: «Guardar en una carpeta compartida…». La carpeta solo contiene archivos cifrados.</translation>
    </message>
    <message>
        <source>Kept in step through {folder}.</source>
        <translation>Se mantiene al día a través de {folder}.</translation>
    </message>
    <message>
        <source>The shared folder is missing: nothing is lost, this computer keeps everything. “Choose a new shared folder…” writes everything into a new one; then your other computers join it.</source>
        <translation>Falta la carpeta compartida: no se pierde nada, esta computadora lo guarda todo. «Elegir una carpeta compartida nueva…» lo escribe todo en una carpeta nueva; después sus demás computadoras se unen a ella.</translation>
    </message>
    <message>
        <source>Last sync here: {when}.</source>
        <translation>Última sincronización aquí: {when}.</translation>
    </message>
    <message numerus="yes">
        <source>%n change file from other computers not here yet.</source>
        <translation>
            <numerusform>%n archivo de cambios de otras computadoras aún no ha llegado.</numerusform>
            <numerusform>%n archivos de cambios de otras computadoras aún no han llegado.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change files from other computers not here yet.</source>
        <translation>
            <numerusform>%n archivo de cambios de otras computadoras aún no ha llegado.</numerusform>
            <numerusform>%n archivos de cambios de otras computadoras aún no han llegado.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file still being copied by the sync tool.</source>
        <translation>
            <numerusform>La herramienta de sincronización aún está copiando %n archivo.</numerusform>
            <numerusform>La herramienta de sincronización aún está copiando %n archivos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n files still being copied by the sync tool.</source>
        <translation>
            <numerusform>La herramienta de sincronización aún está copiando %n archivo.</numerusform>
            <numerusform>La herramienta de sincronización aún está copiando %n archivos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n original document not copied here yet.</source>
        <translation>
            <numerusform>%n documento original aún no se ha copiado aquí.</numerusform>
            <numerusform>%n documentos originales aún no se han copiado aquí.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n original documents not copied here yet.</source>
        <translation>
            <numerusform>%n documento original aún no se ha copiado aquí.</numerusform>
            <numerusform>%n documentos originales aún no se han copiado aquí.</numerusform>
        </translation>
    </message>
    <message>
        <source>Refused a change from computer {device}: {reason}</source>
        <translation>Se rechazó un cambio de la computadora {device}: {reason}</translation>
    </message>
    <message>
        <source>Warning: another computer writes into the shared folder as this one (its vault folder was copied from this one instead of joining), so the two do not get each other&apos;s changes. On that computer, set its vault folder aside and join again with “medrecords --vault NEWDIR sync setup --folder DIR” and the passphrase; what was added only there stays in the folder set aside.</source>
        <translation>Atención: otra computadora escribe en la carpeta compartida como si fuera esta (su carpeta de la bóveda se copió de esta en lugar de unirse), así que ninguna de las dos recibe los cambios de la otra. En esa computadora, aparte su carpeta de la bóveda y vuelva a unirse con «medrecords --vault CARPETA_NUEVA sync setup --folder CARPETA» y la frase de contraseña; lo que se añadió solo allí queda en la carpeta apartada.</translation>
    </message>
    <message>
        <source>No conflicts: every computer agrees.</source>
        <translation>Sin conflictos: todas las computadoras coinciden.</translation>
    </message>
    <message numerus="yes">
        <source>%n item was changed on two computers at once. The newest version is shown; choose the version to keep.</source>
        <translation>
            <numerusform>%n registro se cambió en dos computadoras a la vez. Se muestra la versión más reciente; elija la versión que desea conservar.</numerusform>
            <numerusform>%n registros se cambiaron en dos computadoras a la vez. Se muestra la versión más reciente; elija la versión que desea conservar.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n items were changed on two computers at once. The newest version is shown; choose the version to keep.</source>
        <translation>
            <numerusform>%n registro se cambió en dos computadoras a la vez. Se muestra la versión más reciente; elija la versión que desea conservar.</numerusform>
            <numerusform>%n registros se cambiaron en dos computadoras a la vez. Se muestra la versión más reciente; elija la versión que desea conservar.</numerusform>
        </translation>
    </message>
    <message>
        <source>Conflict: {item}</source>
        <translation>Conflicto: {item}</translation>
    </message>
    <message>
        <source>Shown: {summary}</source>
        <translation>Se muestra: {summary}</translation>
    </message>
    <message>
        <source>Other: {summary}</source>
        <translation>Otra: {summary}</translation>
    </message>
    <message>
        <source>{version}, by {user}, {when}</source>
        <translation>{version}, por {user}, {when}</translation>
    </message>
    <message>
        <source>Syncthing runs on this computer, but it answered: {error}</source>
        <translation>Syncthing funciona en esta computadora, pero respondió: {error}</translation>
    </message>
    <message numerus="yes">
        <source>Syncthing {version} keeps the shared folder in step (folder “{label}”, shared with %n other computer).</source>
        <translation>
            <numerusform>Syncthing {version} mantiene al día la carpeta compartida (carpeta «{label}», compartida con %n computadora más).</numerusform>
            <numerusform>Syncthing {version} mantiene al día la carpeta compartida (carpeta «{label}», compartida con %n computadoras más).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Syncthing {version} keeps the shared folder in step (folder “{label}”, shared with %n other computers).</source>
        <translation>
            <numerusform>Syncthing {version} mantiene al día la carpeta compartida (carpeta «{label}», compartida con %n computadora más).</numerusform>
            <numerusform>Syncthing {version} mantiene al día la carpeta compartida (carpeta «{label}», compartida con %n computadoras más).</numerusform>
        </translation>
    </message>
    <message>
        <source>Up to date.</source>
        <translation>Al día.</translation>
    </message>
    <message numerus="yes">
        <source>%n file still to copy.</source>
        <translation>
            <numerusform>Falta copiar %n archivo.</numerusform>
            <numerusform>Faltan copiar %n archivos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n files still to copy.</source>
        <translation>
            <numerusform>Falta copiar %n archivo.</numerusform>
            <numerusform>Faltan copiar %n archivos.</numerusform>
        </translation>
    </message>
    <message>
        <source>This computer&apos;s Syncthing device ID: {id}</source>
        <translation>ID de dispositivo de Syncthing de esta computadora: {id}</translation>
    </message>
    <message>
        <source>Syncthing {version} runs on this computer but does not keep the shared folder yet. “Add to Syncthing” adds {folder} to it; then accept it on your other computers.</source>
        <translation>Syncthing {version} funciona en esta computadora, pero todavía no mantiene la carpeta compartida. «Añadir a Syncthing» le añade {folder}; después acéptela en sus demás computadoras.</translation>
    </message>
    <message>
        <source>Share this folder with your other computers using your sync tool (Syncthing, Nextcloud, Dropbox, iCloud Drive, OneDrive), or copy it on a USB stick: {folder}. On each other computer, run “medrecords sync setup --folder” with that folder and your passphrase.</source>
        <translation>Comparta esta carpeta con sus demás computadoras con su herramienta de sincronización (Syncthing, Nextcloud, Dropbox, iCloud Drive, OneDrive), o cópiela en una memoria USB: {folder}. En cada una de las demás computadoras, ejecute «medrecords sync setup --folder» con esa carpeta y su frase de contraseña.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Sincronizando…</translation>
    </message>
    <message>
        <source>Syncing… {done}/{total}</source>
        <translation>Sincronizando… {done}/{total}</translation>
    </message>
    <message numerus="yes">
        <source>Sent %n change,</source>
        <translation>
            <numerusform>Enviado %n cambio,</numerusform>
            <numerusform>Enviados %n cambios,</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sent %n changes,</source>
        <translation>
            <numerusform>Enviado %n cambio,</numerusform>
            <numerusform>Enviados %n cambios,</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>applied %n.</source>
        <translation>
            <numerusform>aplicado %n.</numerusform>
            <numerusform>aplicados %n.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new conflict to settle.</source>
        <translation>
            <numerusform>%n conflicto nuevo por resolver.</numerusform>
            <numerusform>%n conflictos nuevos por resolver.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new conflicts to settle.</source>
        <translation>
            <numerusform>%n conflicto nuevo por resolver.</numerusform>
            <numerusform>%n conflictos nuevos por resolver.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change refused.</source>
        <translation>
            <numerusform>%n cambio rechazado.</numerusform>
            <numerusform>%n cambios rechazados.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n changes refused.</source>
        <translation>
            <numerusform>%n cambio rechazado.</numerusform>
            <numerusform>%n cambios rechazados.</numerusform>
        </translation>
    </message>
    <message>
        <source>Settling…</source>
        <translation>Resolviendo…</translation>
    </message>
    <message>
        <source>Settled. “Sync now” tells the other computers.</source>
        <translation>Resuelto. «Sincronizar ahora» avisa a las demás computadoras.</translation>
    </message>
    <message>
        <source>Syncthing no longer answers on this computer.</source>
        <translation>Syncthing ya no responde en esta computadora.</translation>
    </message>
    <message>
        <source>Adding the folder to Syncthing…</source>
        <translation>Añadiendo la carpeta a Syncthing…</translation>
    </message>
    <message>
        <source>Syncthing keeps the folder now (folder ID {id}).</source>
        <translation>Syncthing ya mantiene la carpeta (ID de carpeta {id}).</translation>
    </message>
    <message>
        <source>Choose the folder your sync tool keeps in step</source>
        <translation>Elija la carpeta que su herramienta de sincronización mantiene al día</translation>
    </message>
    <message>
        <source>Writing the vault into the shared folder…</source>
        <translation>Escribiendo la bóveda en la carpeta compartida…</translation>
    </message>
</context>
<context>
    <name>DocumentViewer</name>
    <message>
        <source>&amp;Save a copy…</source>
        <translation>&amp;Guardar una copia…</translation>
    </message>
    <message>
        <source>Save a copy of this document</source>
        <translation>Guardar una copia de este documento</translation>
    </message>
    <message>
        <source>The copy is not encrypted</source>
        <translation>La copia no está cifrada</translation>
    </message>
    <message>
        <source>Document viewer</source>
        <translation>Visor de documentos</translation>
    </message>
    <message>
        <source>PDF document</source>
        <translation>Documento PDF</translation>
    </message>
    <message>
        <source>Image of the document</source>
        <translation>Imagen del documento</translation>
    </message>
    <message>
        <source>Text of the document</source>
        <translation>Texto del documento</translation>
    </message>
    <message>
        <source>No document open.</source>
        <translation>No hay ningún documento abierto.</translation>
    </message>
    <message>
        <source>{size} KB</source>
        <translation>{size} KB</translation>
    </message>
    <message>
        <source>This document has no original file, only its text, which is empty.</source>
        <translation>Este documento no tiene archivo original, solo su texto, que está vacío.</translation>
    </message>
    <message>
        <source>This PDF could not be displayed (it may be damaged). Save a copy to open it elsewhere.</source>
        <translation>No se pudo mostrar este PDF (puede estar dañado). Guarde una copia para abrirlo con otro programa.</translation>
    </message>
    <message>
        <source>This image could not be decoded.</source>
        <translation>No se pudo abrir esta imagen.</translation>
    </message>
    <message>
        <source>Save an unencrypted copy?</source>
        <translation>¿Guardar una copia sin cifrar?</translation>
    </message>
    <message>
        <source>The copy you save will NOT be encrypted: anyone who can open that folder can read it.

Save it only where you mean to share it, and delete it when you are done.</source>
        <translation>La copia que guarde NO estará cifrada: cualquiera que pueda abrir esa carpeta podrá leerla.

Guárdela solo donde quiera compartirla y bórrela cuando termine.</translation>
    </message>
    <message>
        <source>Save a copy</source>
        <translation>Guardar una copia</translation>
    </message>
</context>
<context>
    <name>DocumentsView</name>
    <message>
        <source>Documents</source>
        <translation>Documentos</translation>
    </message>
    <message>
        <source>Select a document to read it here.</source>
        <translation>Elija un documento para leerlo aquí.</translation>
    </message>
    <message>
        <source>No documents here yet.
Drop PDFs, scans or C-CDA files onto the window to add them.</source>
        <translation>Todavía no hay documentos.
Arrastre PDF, documentos escaneados o archivos C-CDA a la ventana para añadirlos.</translation>
    </message>
</context>
<context>
    <name>EditPersonDialog</name>
    <message>
        <source>Edit {name}</source>
        <translation>Editar a {name}</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <source>Date of birth, written year-month-day, for example 2015-09-01</source>
        <translation>Fecha de nacimiento, escrita año-mes-día, por ejemplo 2015-09-01</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;Born</source>
        <translation>&amp;Fecha de nacimiento</translation>
    </message>
    <message>
        <source>&amp;Sex</source>
        <translation>&amp;Sexo</translation>
    </message>
</context>
<context>
    <name>EncounterHeaders</name>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visita</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Proveedor médico</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Registros</translation>
    </message>
</context>
<context>
    <name>EncountersView</name>
    <message>
        <source>Encounters</source>
        <translation>Visitas médicas</translation>
    </message>
    <message>
        <source>Provider or clinic</source>
        <translation>Médico o clínica</translation>
    </message>
    <message>
        <source>Filter by provider or clinic</source>
        <translation>Filtrar por médico o clínica</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Visitas</translation>
    </message>
    <message>
        <source>Newest first; select one to see what is linked to it</source>
        <translation>Las más recientes primero; elija una para ver lo que tiene vinculado</translation>
    </message>
    <message>
        <source>Linked to this visit</source>
        <translation>Vinculado a esta visita</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Click a document or result above to open it here.</source>
        <translation>Haga clic en un documento o resultado de arriba para abrirlo aquí.</translation>
    </message>
    <message>
        <source>Select a visit to see everything linked to it.</source>
        <translation>Elija una visita para ver todo lo que tiene vinculado.</translation>
    </message>
    <message>
        <source>No visits match these filters. Widen the dates or clear the provider.</source>
        <translation>Ninguna visita coincide con estos filtros. Amplíe las fechas o borre el médico.</translation>
    </message>
    <message>
        <source>No visits yet. Import records from a portal or a file (Ctrl+I).</source>
        <translation>Todavía no hay visitas. Importe registros desde un portal o un archivo (Ctrl+I).</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n registro</numerusform>
            <numerusform>%n registros</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing else is linked to this visit.</source>
        <translation>No hay nada más vinculado a esta visita.</translation>
    </message>
    <message>
        <source>(same day)</source>
        <translation>(mismo día)</translation>
    </message>
    <message>
        <source>Linked to this visit because it is of the same day and organization (the file did not say).</source>
        <translation>Unido a esta visita porque es del mismo día y del mismo centro (el archivo no lo decía).</translation>
    </message>
</context>
<context>
    <name>EntryCodes</name>
    <message>
        <source>active</source>
        <translation>activo</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resuelto</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>inactivo</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>leve</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>moderada</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>grave</translation>
    </message>
    <message>
        <source>medication</source>
        <translation>medicamento</translation>
    </message>
    <message>
        <source>food</source>
        <translation>alimento</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>ambiente (polen, polvo…)</translation>
    </message>
    <message>
        <source>biologic</source>
        <translation>biológico (picaduras, látex…)</translation>
    </message>
    <message>
        <source>mother</source>
        <translation>madre</translation>
    </message>
    <message>
        <source>father</source>
        <translation>padre</translation>
    </message>
    <message>
        <source>sister</source>
        <translation>hermana</translation>
    </message>
    <message>
        <source>brother</source>
        <translation>hermano</translation>
    </message>
    <message>
        <source>grandmother</source>
        <translation>abuela</translation>
    </message>
    <message>
        <source>grandfather</source>
        <translation>abuelo</translation>
    </message>
    <message>
        <source>aunt</source>
        <translation>tía</translation>
    </message>
    <message>
        <source>uncle</source>
        <translation>tío</translation>
    </message>
    <message>
        <source>child</source>
        <translation>hijo o hija</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>peso</translation>
    </message>
    <message>
        <source>height</source>
        <translation>estatura</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>temperatura</translation>
    </message>
    <message>
        <source>pulse</source>
        <translation>pulso</translation>
    </message>
    <message>
        <source>oxygen saturation (SpO2)</source>
        <translation>oxígeno en la sangre (SpO2)</translation>
    </message>
    <message>
        <source>glucose</source>
        <translation>glucosa (azúcar en la sangre)</translation>
    </message>
    <message>
        <source>respiratory rate</source>
        <translation>frecuencia respiratoria</translation>
    </message>
</context>
<context>
    <name>EntryDialog</name>
    <message>
        <source>Add {kind}</source>
        <translation>Añadir {kind}</translation>
    </message>
    <message>
        <source>Entered by you; it is marked as your own entry everywhere it shows.</source>
        <translation>Lo anota usted; se marca como anotación propia dondequiera que aparezca.</translation>
    </message>
    <message>
        <source>For whom</source>
        <translation>Para quién</translation>
    </message>
    <message>
        <source>&amp;For</source>
        <translation>&amp;Para</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>opcional</translation>
    </message>
    <message>
        <source>e.g. Hemoglobin A1c, HbA1c, TSH</source>
        <translation>p. ej. Hemoglobina A1c, HbA1c, TSH</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>a number, or a word such as Negative</source>
        <translation>un número, o una palabra como Negativo</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>unidad</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <source>low</source>
        <translation>mínimo</translation>
    </message>
    <message>
        <source>high</source>
        <translation>máximo</translation>
    </message>
    <message>
        <source>Reference range, low</source>
        <translation>Rango de referencia, mínimo</translation>
    </message>
    <message>
        <source>Reference range, high</source>
        <translation>Rango de referencia, máximo</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>Reference range</source>
        <translation>Rango de referencia</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>Laboratorio</translation>
    </message>
    <message>
        <source>which laboratory (optional)</source>
        <translation>qué laboratorio (opcional)</translation>
    </message>
    <message>
        <source>usual range {range}</source>
        <translation>rango habitual {range}</translation>
    </message>
    <message>
        <source>systolic</source>
        <translation>sistólica</translation>
    </message>
    <message>
        <source>diastolic</source>
        <translation>diastólica</translation>
    </message>
    <message>
        <source>Systolic pressure (the top number), mmHg</source>
        <translation>Presión sistólica (el número de arriba), mmHg</translation>
    </message>
    <message>
        <source>Diastolic pressure (the bottom number), mmHg</source>
        <translation>Presión diastólica (el número de abajo), mmHg</translation>
    </message>
    <message>
        <source>Blood pressure</source>
        <translation>Presión arterial</translation>
    </message>
    <message>
        <source>Vital sign</source>
        <translation>Signo vital</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medicamento</translation>
    </message>
    <message>
        <source>name as on the box, e.g. Ibuprofen 200 mg</source>
        <translation>el nombre como en la caja, p. ej. Ibuprofeno 200 mg</translation>
    </message>
    <message>
        <source>Over the counter or a supplement</source>
        <translation>Sin receta o suplemento</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>e.g. 1 tablet</source>
        <translation>p. ej. 1 pastilla</translation>
    </message>
    <message>
        <source>How often</source>
        <translation>Cada cuánto</translation>
    </message>
    <message>
        <source>e.g. twice a day</source>
        <translation>p. ej. dos veces al día</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Lo empezó</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Lo dejó</translation>
    </message>
    <message>
        <source>Stopped on</source>
        <translation>Lo dejó el</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>what it is for (optional)</source>
        <translation>para qué es (opcional)</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Problema de salud</translation>
    </message>
    <message>
        <source>e.g. Asthma</source>
        <translation>p. ej. Asma</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Allergic to</source>
        <translation>Alergia a</translation>
    </message>
    <message>
        <source>e.g. Penicillin</source>
        <translation>p. ej. Penicilina</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reacción</translation>
    </message>
    <message>
        <source>e.g. hives</source>
        <translation>p. ej. ronchas</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Noticed</source>
        <translation>Se notó el</translation>
    </message>
    <message>
        <source>Vaccine</source>
        <translation>Vacuna</translation>
    </message>
    <message>
        <source>e.g. Influenza, seasonal</source>
        <translation>p. ej. Gripe, de temporada</translation>
    </message>
    <message>
        <source>Given on</source>
        <translation>Puesta el</translation>
    </message>
    <message>
        <source>Lot number</source>
        <translation>Número de lote</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>pharmacy or clinic (optional)</source>
        <translation>farmacia o clínica (opcional)</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Procedimiento</translation>
    </message>
    <message>
        <source>e.g. Colonoscopy</source>
        <translation>p. ej. Colonoscopia</translation>
    </message>
    <message>
        <source>hospital or clinic (optional)</source>
        <translation>hospital o clínica (opcional)</translation>
    </message>
    <message>
        <source>e.g. Type 2 diabetes</source>
        <translation>p. ej. Diabetes tipo 2</translation>
    </message>
    <message>
        <source>Relative</source>
        <translation>Familiar</translation>
    </message>
    <message>
        <source>Noted on</source>
        <translation>Anotado el</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>e.g. Questions for the next visit</source>
        <translation>p. ej. Preguntas para la próxima visita</translation>
    </message>
    <message>
        <source>Add a family member first (People › Add a family member…).</source>
        <translation>Primero añada a un familiar (Personas › Añadir un familiar…).</translation>
    </message>
</context>
<context>
    <name>EntryKinds</name>
    <message>
        <source>Lab result</source>
        <translation>Resultado de laboratorio</translation>
    </message>
    <message>
        <source>Blood pressure</source>
        <translation>Presión arterial</translation>
    </message>
    <message>
        <source>Vital sign</source>
        <translation>Signo vital</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medicamento</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Problema de salud</translation>
    </message>
    <message>
        <source>Allergy</source>
        <translation>Alergia</translation>
    </message>
    <message>
        <source>Immunization</source>
        <translation>Vacuna</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Procedimiento</translation>
    </message>
    <message>
        <source>Family history</source>
        <translation>Antecedentes familiares</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
</context>
<context>
    <name>Fmt</name>
    <message>
        <source>Date unknown</source>
        <translation>Fecha desconocida</translation>
    </message>
    <message>
        <source>ddd d MMM yyyy</source>
        <translation>ddd d MMM yyyy</translation>
    </message>
    <message>
        <source>d MMMM yyyy</source>
        <translation>d &apos;de&apos; MMMM &apos;de&apos; yyyy</translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <translation>d MMM yyyy</translation>
    </message>
    <message>
        <source>reference {range}</source>
        <translation>referencia {range}</translation>
    </message>
    <message>
        <source>lot {lot}</source>
        <translation>lote {lot}</translation>
    </message>
</context>
<context>
    <name>GrantDialog</name>
    <message>
        <source>Grant access</source>
        <translation>Dar acceso</translation>
    </message>
    <message>
        <source>View only: read the records</source>
        <translation>Solo ver: leer los registros</translation>
    </message>
    <message>
        <source>Manage: also import, edit, export and connect portals</source>
        <translation>Gestionar: además importar, editar, exportar y conectar portales</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Usuario</translation>
    </message>
    <message>
        <source>&amp;May see</source>
        <translation>&amp;Puede ver a</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>May see</source>
        <translation>Puede ver a</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>Acceso</translation>
    </message>
    <message>
        <source>Grant</source>
        <translation>Dar acceso</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>MedRecords — User guide</source>
        <translation>MedRecords — Guía de uso</translation>
    </message>
    <message>
        <source>Search the guide</source>
        <translation>Buscar en la guía</translation>
    </message>
    <message>
        <source>Shows only the pages that contain all the words</source>
        <translation>Muestra solo las páginas que contienen todas las palabras</translation>
    </message>
    <message>
        <source>Pages of the guide</source>
        <translation>Páginas de la guía</translation>
    </message>
    <message>
        <source>Guide page</source>
        <translation>Página de la guía</translation>
    </message>
    <message>
        <source>&amp;Find:</source>
        <translation>&amp;Buscar:</translation>
    </message>
    <message>
        <source>Close the guide</source>
        <translation>Cerrar la guía</translation>
    </message>
    <message>
        <source>No page of the guide contains all of those words.</source>
        <translation>Ninguna página de la guía contiene todas esas palabras.</translation>
    </message>
</context>
<context>
    <name>HistoryHeaders</name>
    <message>
        <source>Imported</source>
        <translation>Importado</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Añadidos</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
</context>
<context>
    <name>HistoryStatus</name>
    <message>
        <source>Imported</source>
        <translation>Importado</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Interrumpido</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Falló</translation>
    </message>
    <message>
        <source>Undone</source>
        <translation>Deshecho</translation>
    </message>
    <message>
        <source>Moved to another person</source>
        <translation>Pasado a otra persona</translation>
    </message>
    <message>
        <source>Rolled back</source>
        <translation>Revertido</translation>
    </message>
    <message>
        <source>{source}, imported {when} for {person}: {added}, {status}</source>
        <translation>{source}, importado el {when} para {person}: {added}, {status}</translation>
    </message>
    <message>
        <source>nothing added</source>
        <translation>no se añadió nada</translation>
    </message>
    <message numerus="yes">
        <source>%n item</source>
        <translation>
            <numerusform>%n registro</numerusform>
            <numerusform>%n registros</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n items</source>
        <translation>
            <numerusform>%n registro</numerusform>
            <numerusform>%n registros</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImmunizationsView</name>
    <message>
        <source>OVERDUE</source>
        <translation>ATRASADA</translation>
    </message>
    <message>
        <source>Due now</source>
        <translation>Toca ahora</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>Toca pronto</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Más adelante</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Completa</translation>
    </message>
    <message>
        <source>Immune</source>
        <translation>Inmune</translation>
    </message>
    <message>
        <source>No longer recommended for age</source>
        <translation>Ya no se recomienda por la edad</translation>
    </message>
    <message>
        <source>Not now: contraindicated</source>
        <translation>Ahora no: contraindicada</translation>
    </message>
    <message>
        <source>Vaccine group / dose</source>
        <translation>Vacuna / dosis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Next dose</source>
        <translation>Próxima dosis</translation>
    </message>
    <message>
        <source>Earliest</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>Recomendada</translation>
    </message>
    <message>
        <source>Past due</source>
        <translation>Atrasada desde</translation>
    </message>
    <message>
        <source>Vaccine to give</source>
        <translation>Vacuna a poner</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Válida</translation>
    </message>
    <message>
        <source>Not Valid</source>
        <translation>No válida</translation>
    </message>
    <message>
        <source>Extraneous</source>
        <translation>De más</translation>
    </message>
    <message>
        <source>Sub-standard</source>
        <translation>Dosis incompleta</translation>
    </message>
    <message>
        <source>Age: Too Young</source>
        <translation>puesta antes de la edad mínima</translation>
    </message>
    <message>
        <source>Age: Too Old</source>
        <translation>puesta después de la edad máxima</translation>
    </message>
    <message>
        <source>Interval: Too Soon</source>
        <translation>demasiado pronto tras la dosis anterior</translation>
    </message>
    <message>
        <source>Live Virus Conflict</source>
        <translation>demasiado cerca de otra vacuna de virus vivos</translation>
    </message>
    <message>
        <source>Inadvertent Vaccine</source>
        <translation>vacuna que no corresponde a esta serie</translation>
    </message>
    <message>
        <source>Not a preferable or allowable vaccine</source>
        <translation>vacuna no admitida para esta dosis</translation>
    </message>
    <message>
        <source>Series Already Complete</source>
        <translation>la serie ya estaba completa</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>omitida</translation>
    </message>
    <message>
        <source>dose {n}</source>
        <translation>dosis {n}</translation>
    </message>
    <message>
        <source>Information to discuss with a clinician, not medical advice. Follows CDC CDSi supporting data version {version}.</source>
        <translation>Información para comentar con su médico, no es un consejo médico. Sigue los datos de apoyo CDSi de los CDC, versión {version}.</translation>
    </message>
    <message numerus="yes">
        <source>%n OVERDUE</source>
        <translation>
            <numerusform>%n ATRASADA</numerusform>
            <numerusform>%n ATRASADAS</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n due soon</source>
        <translation>
            <numerusform>%n toca pronto</numerusform>
            <numerusform>%n tocan pronto</numerusform>
        </translation>
    </message>
    <message>
        <source>Immunizations: nothing due in the next 60 days, by the records in this vault.</source>
        <translation>Vacunas: según los registros de esta bóveda, no toca ninguna en los próximos 60 días.</translation>
    </message>
    <message>
        <source>Immunizations by the records in this vault — {who}. See Immunizations, and discuss with a clinician.</source>
        <translation>Vacunas según los registros de esta bóveda — {who}. Vea Vacunas y coméntelo con su médico.</translation>
    </message>
    <message>
        <source>Immunizations</source>
        <translation>Vacunas</translation>
    </message>
    <message>
        <source>Vaccines and what is due</source>
        <translation>Vacunas y lo que toca</translation>
    </message>
    <message>
        <source>One row per vaccine group with its status and the dates of the next dose; expand a row to hear each recorded dose and whether it counts.</source>
        <translation>Una fila por vacuna con su estado y las fechas de la próxima dosis; abra una fila para oír cada dosis registrada y si cuenta.</translation>
    </message>
    <message>
        <source>No one in this vault yet.</source>
        <translation>Todavía no hay nadie en esta bóveda.</translation>
    </message>
    <message>
        <source>As of {date}.</source>
        <translation>A fecha de {date}.</translation>
    </message>
    <message>
        <source>Immunizations — everyone</source>
        <translation>Vacunas — toda la familia</translation>
    </message>
    <message>
        <source>Immunizations — {name}</source>
        <translation>Vacunas — {name}</translation>
    </message>
    <message>
        <source>No birth date in this person&apos;s record: add one to see what is due.</source>
        <translation>Falta la fecha de nacimiento de esta persona: añádala para ver qué vacunas le tocan.</translation>
    </message>
    <message numerus="yes">
        <source>%n overdue</source>
        <translation>
            <numerusform>%n atrasada</numerusform>
            <numerusform>%n atrasadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n due now</source>
        <translation>
            <numerusform>%n toca ahora</numerusform>
            <numerusform>%n tocan ahora</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n due in the next 60 days</source>
        <translation>
            <numerusform>%n toca en los próximos 60 días</numerusform>
            <numerusform>%n tocan en los próximos 60 días</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing due now.</source>
        <translation>Ahora no toca ninguna.</translation>
    </message>
    <message numerus="yes">
        <source>%n valid dose of {recorded} recorded</source>
        <translation>
            <numerusform>%n dosis válida de {recorded} registradas</numerusform>
            <numerusform>%n dosis válidas de {recorded} registradas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n valid doses of {recorded} recorded</source>
        <translation>
            <numerusform>%n dosis válida de {recorded} registradas</numerusform>
            <numerusform>%n dosis válidas de {recorded} registradas</numerusform>
        </translation>
    </message>
    <message>
        <source>Only a typed-in or scanned form records {vaccine} on {date}; no clinic or portal record has it (listed in Missing records: ask the clinic for its record).</source>
        <translation>La vacuna {vaccine} del {date} solo consta en un formulario escrito a mano o escaneado; ningún registro de la clínica o del portal la tiene (aparece en Registros que faltan: pida a la clínica su registro).</translation>
    </message>
    <message>
        <source>Not recognised as a vaccine the CDC schedule knows, so not counted: {name}.</source>
        <translation>No se reconoce como una vacuna del calendario de los CDC, así que no se cuenta: {name}.</translation>
    </message>
    <message>
        <source>Conditions taken into account: {list}.</source>
        <translation>Problemas de salud que se han tenido en cuenta: {list}.</translation>
    </message>
    <message numerus="yes">
        <source>%n group</source>
        <translation>
            <numerusform>%n vacuna</numerusform>
            <numerusform>%n vacunas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n groups</source>
        <translation>
            <numerusform>%n vacuna</numerusform>
            <numerusform>%n vacunas</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing due soon</source>
        <translation>No toca nada pronto</translation>
    </message>
    <message>
        <source>recommended {date}</source>
        <translation>recomendada el {date}</translation>
    </message>
    <message>
        <source>past due since {date}</source>
        <translation>atrasada desde el {date}</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Imported</source>
        <translation>Importado</translation>
    </message>
    <message>
        <source>Not imported</source>
        <translation>No importado</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Saltado</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importar</translation>
    </message>
    <message numerus="yes">
        <source>Importing %n item…</source>
        <translation>
            <numerusform>Importando %n elemento…</numerusform>
            <numerusform>Importando %n elementos…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Importing %n items…</source>
        <translation>
            <numerusform>Importando %n elemento…</numerusform>
            <numerusform>Importando %n elementos…</numerusform>
        </translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation>Progreso de la importación</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Añadidos</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Repetidos</translation>
    </message>
    <message>
        <source>What each file gave</source>
        <translation>Lo que aportó cada archivo</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stop the import; what was already added stays</source>
        <translation>Parar la importación; lo que ya se añadió se queda</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>La importación falló</translation>
    </message>
    <message>
        <source>Import cancelled</source>
        <translation>Importación cancelada</translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation>Importación terminada</translation>
    </message>
    <message numerus="yes">
        <source>%n file</source>
        <translation>
            <numerusform>%n archivo</numerusform>
            <numerusform>%n archivos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n files</source>
        <translation>
            <numerusform>%n archivo</numerusform>
            <numerusform>%n archivos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n item from {files}</source>
        <translation>
            <numerusform>Se añadió %n elemento de {files}</numerusform>
            <numerusform>Se añadieron %n elementos de {files}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n items from {files}</source>
        <translation>
            <numerusform>Se añadió %n elemento de {files}</numerusform>
            <numerusform>Se añadieron %n elementos de {files}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already in the vault (skipped)</source>
        <translation>
            <numerusform>%n ya estaba en la bóveda (se ha saltado)</numerusform>
            <numerusform>%n ya estaban en la bóveda (se han saltado)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file could not be imported</source>
        <translation>
            <numerusform>%n archivo no se pudo importar</numerusform>
            <numerusform>%n archivos no se pudieron importar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n files could not be imported</source>
        <translation>
            <numerusform>%n archivo no se pudo importar</numerusform>
            <numerusform>%n archivos no se pudieron importar</numerusform>
        </translation>
    </message>
    <message>
        <source>no patient named in the file</source>
        <translation>ningún paciente nombrado en el archivo</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>nadie</translation>
    </message>
    <message>
        <source>Patient in the file: {found} → imported into {into}</source>
        <translation>Paciente en el archivo: {found} → importado en {into}</translation>
    </message>
    <message numerus="yes">
        <source>%n linked to the visit of the same day</source>
        <translation>
            <numerusform>%n unido a la visita del mismo día</numerusform>
            <numerusform>%n unidos a la visita del mismo día</numerusform>
        </translation>
    </message>
    <message>
        <source>Note: {text}</source>
        <translation>Nota: {text}</translation>
    </message>
    <message>
        <source>For {people}</source>
        <translation>Para {people}</translation>
    </message>
    <message>
        <source>{file}: {status}, {added} added, {dups} duplicates</source>
        <translation>{file}: {status}, {added} añadidos, {dups} repetidos</translation>
    </message>
</context>
<context>
    <name>ImportsView</name>
    <message>
        <source>Import history</source>
        <translation>Historial de importaciones</translation>
    </message>
    <message>
        <source>Undo import…</source>
        <translation>Deshacer importación…</translation>
    </message>
    <message>
        <source>Take the chosen import back whole; it goes to the Trash, where you can restore it</source>
        <translation>Deshacer entera la importación elegida; pasa a la Papelera, desde donde puede restaurarla</translation>
    </message>
    <message>
        <source>Move to…</source>
        <translation>Pasar a…</translation>
    </message>
    <message>
        <source>Give the chosen import to another person (duplicates there are folded)</source>
        <translation>Pasar la importación elegida a otra persona (lo que ya tenga repetido se une)</translation>
    </message>
    <message>
        <source>Import files…</source>
        <translation>Importar archivos…</translation>
    </message>
    <message>
        <source>Filed under the wrong person, or not wanted? Choose an import, then Undo or Move. Both can be taken back from the Trash.</source>
        <translation>¿Está en la persona equivocada o no lo quiere? Elija una importación y luego Deshacer o Pasar a. Las dos cosas se pueden revertir desde la Papelera.</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Imports, newest first</source>
        <translation>Importaciones, las más recientes primero</translation>
    </message>
    <message>
        <source>Choose an import, then Undo import or Move to</source>
        <translation>Elija una importación y luego Deshacer importación o Pasar a</translation>
    </message>
    <message>
        <source>Nothing imported yet.
Drag files or folders onto the window, or press Ctrl+I.</source>
        <translation>Todavía no se ha importado nada.
Arrastre archivos o carpetas a la ventana, o pulse Ctrl+I.</translation>
    </message>
    <message>
        <source>everything</source>
        <translation>todo</translation>
    </message>
    <message>
        <source>Take back “{source}” ({person}, {added})?

Everything it added goes to the Trash as one entry; restore it from there if you change your mind.</source>
        <translation>¿Deshacer «{source}» ({person}, {added})?

Todo lo que añadió pasa a la Papelera como una sola entrada; si cambia de idea, restáurela desde allí.</translation>
    </message>
    <message>
        <source>Undo import</source>
        <translation>Deshacer importación</translation>
    </message>
    <message>
        <source>Took back {source}: it is in the Trash.</source>
        <translation>Se deshizo {source}: está en la Papelera.</translation>
    </message>
    <message>
        <source>Taking back {source}…</source>
        <translation>Deshaciendo {source}…</translation>
    </message>
    <message>
        <source>Move import</source>
        <translation>Pasar importación</translation>
    </message>
    <message>
        <source>There is nobody else to move it to.</source>
        <translation>No hay nadie más a quien pasarla.</translation>
    </message>
    <message>
        <source>Whose records are in “{source}”?</source>
        <translation>¿De quién son los registros de «{source}»?</translation>
    </message>
    <message>
        <source>Moved to {name}: {what}. Undo it from the Trash.</source>
        <translation>Pasado a {name}: {what}. Puede deshacerlo desde la Papelera.</translation>
    </message>
    <message>
        <source>Moving {source} to {name}…</source>
        <translation>Pasando {source} a {name}…</translation>
    </message>
</context>
<context>
    <name>ItemDetail</name>
    <message>
        <source>Select an item to see its details.</source>
        <translation>Elija un registro para ver sus detalles.</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Open &amp;visit</source>
        <translation>Abrir la &amp;visita</translation>
    </message>
    <message>
        <source>Open the visit this belongs to</source>
        <translation>Abrir la visita a la que pertenece</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
</context>
<context>
    <name>ItemDetailDialog</name>
    <message>
        <source>Someone in the family corrected this item; the original is kept.</source>
        <translation>Alguien de la familia corrigió este registro; el original se conserva.</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>Corregido</translation>
    </message>
    <message>
        <source>Your entry</source>
        <translation>Anotación propia</translation>
    </message>
    <message>
        <source>Entered by someone in the family</source>
        <translation>Lo anotó alguien de la familia</translation>
    </message>
    <message>
        <source>Came from</source>
        <translation>Procedencia</translation>
    </message>
    <message>
        <source>Original, as the source gave it</source>
        <translation>Original, tal como lo dio la fuente</translation>
    </message>
    <message>
        <source>Show &amp;original</source>
        <translation>Ver &amp;original</translation>
    </message>
    <message>
        <source>Co&amp;rrect…</source>
        <translation>Co&amp;rregir…</translation>
    </message>
    <message>
        <source>Correct this item</source>
        <translation>Corregir este registro</translation>
    </message>
    <message>
        <source>Read results from this document</source>
        <translation>Leer los resultados de este documento</translation>
    </message>
    <message>
        <source>Move to &amp;Trash</source>
        <translation>Mover a la &amp;papelera</translation>
    </message>
    <message>
        <source>Move this item to the Trash</source>
        <translation>Mover este registro a la papelera</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(vacío)</translation>
    </message>
    <message>
        <source>{date}: corrected by {who}</source>
        <translation>{date}: corregido por {who}</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>alguien</translation>
    </message>
    <message>
        <source>Hide &amp;original</source>
        <translation>Ocultar &amp;original</translation>
    </message>
</context>
<context>
    <name>ItemFields</name>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Clase</translation>
    </message>
    <message>
        <source>Visit type</source>
        <translation>Tipo de visita</translation>
    </message>
    <message>
        <source>Over the counter</source>
        <translation>Sin receta</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>Verificación</translation>
    </message>
    <message>
        <source>Dose number</source>
        <translation>Número de dosis</translation>
    </message>
    <message>
        <source>Body site</source>
        <translation>Parte del cuerpo</translation>
    </message>
    <message>
        <source>Discharged to</source>
        <translation>Dado de alta a</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Autor</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Conclusion</source>
        <translation>Conclusión</translation>
    </message>
    <message>
        <source>Criticality</source>
        <translation>Riesgo</translation>
    </message>
    <message>
        <source>Derived from</source>
        <translation>Derivado de</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Nombre mostrado</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>Nombre del archivo</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>Frecuencia</translation>
    </message>
    <message>
        <source>Interpretation</source>
        <translation>Interpretación</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>Performed by</source>
        <translation>Realizado por</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>Profesional</translation>
    </message>
    <message>
        <source>Prescriber</source>
        <translation>Recetado por</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Proveedor médico</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reacción</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Vía</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Lugar</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Alto</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Bajo</translation>
    </message>
    <message>
        <source>Critically high</source>
        <translation>Críticamente alto</translation>
    </message>
    <message>
        <source>Critically low</source>
        <translation>Críticamente bajo</translation>
    </message>
    <message>
        <source>Abnormal</source>
        <translation>Anormal</translation>
    </message>
    <message>
        <source>Critically abnormal</source>
        <translation>Críticamente anormal</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Fuente</translation>
    </message>
    <message>
        <source> at {time}</source>
        <translation> a las {time}</translation>
    </message>
    <message>
        <source> (estimated)</source>
        <translation> (aproximada)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Reference range</source>
        <translation>Rango de referencia</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Parte</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
    <message>
        <source> · imported {date}</source>
        <translation> · importado el {date}</translation>
    </message>
</context>
<context>
    <name>JumpDialog</name>
    <message>
        <source>Jump to date</source>
        <translation>Ir a una fecha</translation>
    </message>
    <message>
        <source>Date to jump to</source>
        <translation>Fecha a la que ir</translation>
    </message>
    <message>
        <source>Arrow keys move the day; Enter jumps</source>
        <translation>Las flechas cambian el día; Intro va a esa fecha</translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <source>Visit</source>
        <translation>Visita</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Informe</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medicamento</translation>
    </message>
    <message>
        <source>Immunization</source>
        <translation>Vacuna</translation>
    </message>
    <message>
        <source>Allergy</source>
        <translation>Alergia</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Problema de salud</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Procedimiento</translation>
    </message>
    <message>
        <source>Care plan</source>
        <translation>Plan de cuidados</translation>
    </message>
    <message>
        <source>Goal</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Care team</source>
        <translation>Equipo de atención</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Orden médica</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>Cita</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Cobertura del seguro</translation>
    </message>
    <message>
        <source>Pharmacy fill</source>
        <translation>Surtido en farmacia</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Record source</source>
        <translation>Origen del registro</translation>
    </message>
    <message>
        <source>Questionnaire</source>
        <translation>Cuestionario</translation>
    </message>
    <message>
        <source>Family history</source>
        <translation>Antecedentes familiares</translation>
    </message>
    <message>
        <source>Specimen</source>
        <translation>Muestra</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>Reclamación al seguro</translation>
    </message>
</context>
<context>
    <name>KindFilter</name>
    <message>
        <source>All kinds</source>
        <translation>Todos los tipos</translation>
    </message>
    <message>
        <source>Kinds of record shown</source>
        <translation>Tipos de registro que se muestran</translation>
    </message>
    <message>
        <source>Show all kinds</source>
        <translation>Mostrar todos los tipos</translation>
    </message>
    <message numerus="yes">
        <source>%n kinds</source>
        <translation>
            <numerusform>%n tipo</numerusform>
            <numerusform>%n tipos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Kinds</name>
    <message>
        <source>Visits</source>
        <translation>Visitas</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Informes</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documentos</translation>
    </message>
    <message>
        <source>Medications</source>
        <translation>Medicamentos</translation>
    </message>
    <message>
        <source>Immunizations</source>
        <translation>Vacunas</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Problemas de salud</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>Procedimientos</translation>
    </message>
    <message>
        <source>Care plans</source>
        <translation>Planes de cuidados</translation>
    </message>
    <message>
        <source>Goals</source>
        <translation>Objetivos</translation>
    </message>
    <message>
        <source>Care teams</source>
        <translation>Equipos de atención</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Órdenes médicas</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>Citas</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Cobertura del seguro</translation>
    </message>
    <message>
        <source>Pharmacy fills</source>
        <translation>Surtidos en farmacia</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Dispositivos</translation>
    </message>
    <message>
        <source>Record sources</source>
        <translation>Orígenes de los registros</translation>
    </message>
    <message>
        <source>Questionnaires</source>
        <translation>Cuestionarios</translation>
    </message>
    <message>
        <source>Family history</source>
        <translation>Antecedentes familiares</translation>
    </message>
    <message>
        <source>Specimens</source>
        <translation>Muestras</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Reclamaciones al seguro</translation>
    </message>
</context>
<context>
    <name>LabHeaders</name>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>Marca</translation>
    </message>
    <message>
        <source>Reference range</source>
        <translation>Rango de referencia</translation>
    </message>
</context>
<context>
    <name>LabsView</name>
    <message>
        <source>Lab tests</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>Vital signs</source>
        <translation>Signos vitales</translation>
    </message>
    <message>
        <source>{test} (in {unit})</source>
        <translation>{test} (en {unit})</translation>
    </message>
    <message>
        <source>no unit</source>
        <translation>sin unidad</translation>
    </message>
    <message>
        <source>&amp;Show in</source>
        <translation>&amp;Mostrar en</translation>
    </message>
    <message>
        <source>Unit of the chart</source>
        <translation>Unidad del gráfico</translation>
    </message>
    <message>
        <source>The unit the chart shows this test in; results in other units are converted</source>
        <translation>La unidad en la que el gráfico muestra este análisis; los resultados en otras unidades se convierten</translation>
    </message>
    <message>
        <source>Find a test</source>
        <translation>Buscar un análisis</translation>
    </message>
    <message>
        <source>Type part of a test&apos;s name to shorten the list</source>
        <translation>Escriba parte del nombre de un análisis para acortar la lista</translation>
    </message>
    <message>
        <source>Tests</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>Choose a test to see its trend and every result</source>
        <translation>Elija un análisis para ver su evolución y todos sus resultados</translation>
    </message>
    <message>
        <source>Trend chart</source>
        <translation>Gráfico de evolución</translation>
    </message>
    <message>
        <source>A picture of the results over time; Show as table gives the same points as rows, and every result is also listed in the table below</source>
        <translation>Una imagen de los resultados a lo largo del tiempo; Mostrar como tabla da los mismos puntos como filas, y cada resultado aparece también en la tabla de abajo</translation>
    </message>
    <message>
        <source>Show as &amp;table</source>
        <translation>Mostrar como &amp;tabla</translation>
    </message>
    <message>
        <source>Show the trend chart as a table</source>
        <translation>Mostrar el gráfico de evolución como una tabla</translation>
    </message>
    <message>
        <source>Every point of the chart as a row: date, value in the chart&apos;s unit and reference range</source>
        <translation>Cada punto del gráfico como una fila: fecha, valor en la unidad del gráfico y rango de referencia</translation>
    </message>
    <message>
        <source>Trend chart as a table</source>
        <translation>Gráfico de evolución como tabla</translation>
    </message>
    <message>
        <source>Every result</source>
        <translation>Todos los resultados</translation>
    </message>
    <message>
        <source>The results of the chosen test, newest first</source>
        <translation>Los resultados del análisis elegido, del más reciente al más antiguo</translation>
    </message>
    <message>
        <source>Pick a test on the left to see its trend and every result.</source>
        <translation>Elija un análisis a la izquierda para ver su evolución y todos sus resultados.</translation>
    </message>
    <message numerus="yes">
        <source>{test}: %n result</source>
        <translation>
            <numerusform>{test}: %n resultado</numerusform>
            <numerusform>{test}: %n resultados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{test}: %n results</source>
        <translation>
            <numerusform>{test}: %n resultado</numerusform>
            <numerusform>{test}: %n resultados</numerusform>
        </translation>
    </message>
    <message>
        <source>No lab results yet. Import lab reports or a portal download (Ctrl+I).</source>
        <translation>Todavía no hay resultados de laboratorio. Importe informes de laboratorio o una descarga de un portal (Ctrl+I).</translation>
    </message>
    <message>
        <source>(no unit)</source>
        <translation>(sin unidad)</translation>
    </message>
    <message numerus="yes">
        <source>%n result</source>
        <translation>
            <numerusform>%n resultado</numerusform>
            <numerusform>%n resultados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n results</source>
        <translation>
            <numerusform>%n resultado</numerusform>
            <numerusform>%n resultados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n outside the reference range</source>
        <translation>
            <numerusform>, %n fuera del rango de referencia</numerusform>
            <numerusform>, %n fuera del rango de referencia</numerusform>
        </translation>
    </message>
    <message>
        <source>, all within range</source>
        <translation>, todos dentro del rango</translation>
    </message>
    <message numerus="yes">
        <source>; %n converted to {unit} for the chart (the table shows them as reported)</source>
        <translation>
            <numerusform>; %n convertido a {unit} para el gráfico (la tabla lo muestra tal como se informó)</numerusform>
            <numerusform>; %n convertidos a {unit} para el gráfico (la tabla los muestra tal como se informaron)</numerusform>
        </translation>
    </message>
    <message>
        <source>. Also reported in {units}: listed apart</source>
        <translation>. También informado en {units}: aparece aparte</translation>
    </message>
    <message>
        <source>Reference range</source>
        <translation>Rango de referencia</translation>
    </message>
    <message>
        <source>Outside range</source>
        <translation>Fuera del rango</translation>
    </message>
    <message>
        <source>Show as &amp;chart</source>
        <translation>Mostrar como &amp;gráfico</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Compared with the range</source>
        <translation>Comparado con el rango</translation>
    </message>
    <message>
        <source>{test} {value} on {date}: {compared}</source>
        <translation>{test} {value} el {date}: {compared}</translation>
    </message>
    <message>
        <source>reference range {range}</source>
        <translation>rango de referencia {range}</translation>
    </message>
    <message>
        <source>Each point of the {test} chart, oldest first, in {unit}</source>
        <translation>Cada punto del gráfico de {test}, del más antiguo al más reciente, en {unit}</translation>
    </message>
    <message>
        <source>the reported unit</source>
        <translation>la unidad informada</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>Follow the system</source>
        <translation>Como el sistema</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>MedRecords</source>
        <translation>MedRecords</translation>
    </message>
    <message>
        <source>Demo vault — a made-up family. Nothing here is real health data.</source>
        <translation>Bóveda de demostración: una familia inventada. Nada de esto son datos de salud reales.</translation>
    </message>
    <message>
        <source>FAMILY</source>
        <translation>FAMILIA</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Familia</translation>
    </message>
    <message>
        <source>Whose records to show: everyone, or one person</source>
        <translation>De quién mostrar los registros: de todos o de una persona</translation>
    </message>
    <message>
        <source>VIEWS</source>
        <translation>VISTAS</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Vistas</translation>
    </message>
    <message>
        <source>Which kind of records to show</source>
        <translation>Qué tipo de registros mostrar</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barra de herramientas principal</translation>
    </message>
    <message>
        <source>More toolbar actions</source>
        <translation>Más acciones de la barra de herramientas</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importar…</translation>
    </message>
    <message>
        <source>Import records from files (Ctrl+I)</source>
        <translation>Importar registros desde archivos (Ctrl+I)</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Bloquear</translation>
    </message>
    <message>
        <source>Close the vault now (Ctrl+L)</source>
        <translation>Cerrar la bóveda ahora (Ctrl+L)</translation>
    </message>
    <message>
        <source>Search records, notes and documents  (Ctrl+F)</source>
        <translation>Buscar en registros, notas y documentos  (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Search records, notes and documents; press Enter to see the results</source>
        <translation>Buscar en registros, notas y documentos; pulse Intro para ver los resultados</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Preferencias…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>Copy item</source>
        <translation>Copiar elemento</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>Buscar…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Jump to date…</source>
        <translation>Ir a una fecha…</translation>
    </message>
    <message>
        <source>&amp;People</source>
        <translation>&amp;Personas</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Todos</translation>
    </message>
    <message>
        <source>Add a family member…</source>
        <translation>Añadir a un familiar…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>Guía de uso</translation>
    </message>
    <message>
        <source>Troubleshooting portals and passphrases</source>
        <translation>Problemas con portales y frases de contraseña</translation>
    </message>
    <message>
        <source>About MedRecords</source>
        <translation>Acerca de MedRecords</translation>
    </message>
    <message>
        <source>MedRecords Desktop
Your family&apos;s health records, encrypted and offline.</source>
        <translation>MedRecords Desktop
Los registros de salud de su familia, cifrados y sin conexión.</translation>
    </message>
    <message>
        <source>MedRecords — Demo vault</source>
        <translation>MedRecords — Bóveda de demostración</translation>
    </message>
    <message numerus="yes">
        <source>Locks after %n min idle</source>
        <translation>
            <numerusform>Se bloquea tras %n minuto sin uso</numerusform>
            <numerusform>Se bloquea tras %n minutos sin uso</numerusform>
        </translation>
    </message>
    <message>
        <source>Auto-lock off</source>
        <translation>Bloqueo automático desactivado</translation>
    </message>
    <message>
        <source>DEMO VAULT</source>
        <translation>BÓVEDA DE DEMOSTRACIÓN</translation>
    </message>
    <message>
        <source>ENCRYPTED VAULT</source>
        <translation>BÓVEDA CIFRADA</translation>
    </message>
    <message>
        <source>Demo vault (made-up people) — its passphrase is “{passphrase}”</source>
        <translation>Bóveda de demostración (personas inventadas): su frase de contraseña es «{passphrase}»</translation>
    </message>
    <message>
        <source>Import records</source>
        <translation>Importar registros</translation>
    </message>
    <message>
        <source>Health records (*.json *.ndjson *.xml *.zip *.pdf *.png *.jpg *.jpeg *.tif *.tiff *.csv);;All files (*)</source>
        <translation>Registros de salud (*.json *.ndjson *.xml *.zip *.pdf *.png *.jpg *.jpeg *.tif *.tiff *.csv);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importar</translation>
    </message>
    <message>
        <source>An import is already running.</source>
        <translation>Ya hay una importación en curso.</translation>
    </message>
</context>
<context>
    <name>MedicationsView</name>
    <message>
        <source>Medications</source>
        <translation>Medicamentos</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medicamento</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <source>Allergy</source>
        <translation>Alergia</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reacción</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Problemas de salud</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Problema de salud</translation>
    </message>
    <message>
        <source>Immunizations</source>
        <translation>Vacunas</translation>
    </message>
    <message>
        <source>Vaccine</source>
        <translation>Vacuna</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lote</translation>
    </message>
    <message>
        <source>Medications, allergies, conditions and immunizations</source>
        <translation>Medicamentos, alergias, problemas de salud y vacunas</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>High risk</source>
        <translation>Riesgo alto</translation>
    </message>
    <message>
        <source>none recorded</source>
        <translation>nada anotado</translation>
    </message>
    <message>
        <source>Nothing recorded yet.</source>
        <translation>Todavía no hay nada anotado.</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge {name} into…</source>
        <translation>Combinar a {name} con…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; ({born}) is the same person as:</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; ({born}) es la misma persona que:</translation>
    </message>
    <message>
        <source>The person {name} is the same as</source>
        <translation>La persona que es la misma que {name}</translation>
    </message>
    <message>
        <source>What moves</source>
        <translation>Qué se mueve</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>What moves, by kind of record</source>
        <translation>Qué se mueve, por tipo de registro</translation>
    </message>
    <message>
        <source>Merging</source>
        <translation>Combinando</translation>
    </message>
    <message>
        <source>&amp;Merge</source>
        <translation>&amp;Combinar</translation>
    </message>
    <message>
        <source>There is nobody else to merge with.</source>
        <translation>No hay nadie más con quien combinar.</translation>
    </message>
    <message numerus="yes">
        <source>%n import</source>
        <translation>
            <numerusform>%n importación</numerusform>
            <numerusform>%n importaciones</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n imports</source>
        <translation>
            <numerusform>%n importación</numerusform>
            <numerusform>%n importaciones</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them is already in {into}&apos;s records</source>
        <translation>
            <numerusform>%n ya está en los registros de {into}</numerusform>
            <numerusform>%n ya están en los registros de {into}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them are already in {into}&apos;s records</source>
        <translation>
            <numerusform>%n ya está en los registros de {into}</numerusform>
            <numerusform>%n ya están en los registros de {into}</numerusform>
        </translation>
    </message>
    <message>
        <source>All of {other}&apos;s records move to {into}: {records} from {imports}. {folded} and will be folded, not copied twice.</source>
        <translation>Todos los registros de {other} pasan a {into}: {records} de {imports}. De ellos, {folded} y se unirán, sin copiarse dos veces.</translation>
    </message>
    <message>
        <source>{other} then goes to the Trash. Restoring {other} from the Trash undoes the merge.</source>
        <translation>Después, {other} pasa a la Papelera. Si restaura a {other} desde la Papelera, se deshace la combinación.</translation>
    </message>
</context>
<context>
    <name>MissingView</name>
    <message>
        <source>Visit date</source>
        <translation>Fecha de la visita</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Médico o clínica</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visita</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Qué falta</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Debía llegar</translation>
    </message>
    <message>
        <source>Late by</source>
        <translation>Retraso</translation>
    </message>
    <message>
        <source>Nothing is missing in the last {days} days (older visits are not chased).

For every visit MedRecords checks that the records it usually produces have arrived: an after-visit summary after an office visit, results after a lab draw, a discharge summary after a hospital stay, results for tests that were ordered. Anything overdue shows up here with what to do next.</source>
        <translation>No falta nada en los últimos {days} días (no se persiguen las visitas más antiguas).

Para cada visita, MedRecords comprueba que hayan llegado los documentos que suele producir: un resumen de la visita después de una consulta, resultados después de una extracción de sangre, un informe de alta después de una hospitalización, resultados de las pruebas que se pidieron. Lo que esté atrasado aparece aquí con el siguiente paso a seguir.</translation>
    </message>
    <message>
        <source>The letter holds the patient&apos;s name, date of birth and the visit it asks about. It is saved as an ordinary PDF, not encrypted: keep it somewhere private and delete it once it is sent.</source>
        <translation>La carta lleva el nombre del paciente, su fecha de nacimiento y la visita por la que pregunta. Se guarda como un PDF normal, sin cifrar: guárdela en un lugar privado y bórrela cuando la haya enviado.</translation>
    </message>
    <message>
        <source>Missing records</source>
        <translation>Registros que faltan</translation>
    </message>
    <message>
        <source>Also show records still on their way</source>
        <translation>Mostrar también los registros que aún están por llegar</translation>
    </message>
    <message>
        <source>Records not arrived yet</source>
        <translation>Registros que aún no han llegado</translation>
    </message>
    <message>
        <source>Choose a row; the next steps are the buttons below the list</source>
        <translation>Elija una fila; lo que puede hacer está en los botones debajo de la lista</translation>
    </message>
    <message>
        <source>Sync portal now</source>
        <translation>Sincronizar el portal ahora</translation>
    </message>
    <message>
        <source>Open portal website</source>
        <translation>Abrir la web del portal</translation>
    </message>
    <message>
        <source>Request records…</source>
        <translation>Pedir los registros…</translation>
    </message>
    <message>
        <source>Make a letter asking the clinic for this record</source>
        <translation>Preparar una carta para pedir este registro a la clínica</translation>
    </message>
    <message>
        <source>Received on paper</source>
        <translation>Recibido en papel</translation>
    </message>
    <message>
        <source>Mark the chosen record as received on paper</source>
        <translation>Marcar el registro elegido como recibido en papel</translation>
    </message>
    <message>
        <source>Not needed</source>
        <translation>No hace falta</translation>
    </message>
    <message>
        <source>Mark the chosen record as not needed</source>
        <translation>Marcar que el registro elegido no hace falta</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Take back the last mark</source>
        <translation>Quitar la última marca</translation>
    </message>
    <message numerus="yes">
        <source>%n day</source>
        <translation>
            <numerusform>%n día</numerusform>
            <numerusform>%n días</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n día</numerusform>
            <numerusform>%n días</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>due in %n d</source>
        <translation>
            <numerusform>llega en %n d</numerusform>
            <numerusform>llega en %n d</numerusform>
        </translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>en espera</translation>
    </message>
    <message>
        <source>{what} missing for the visit “{visit}” of {date}, {person}, {late}</source>
        <translation>Falta {what} de la visita «{visit}» del {date}, {person}, {late}</translation>
    </message>
    <message>
        <source>late by {late}</source>
        <translation>con {late} de retraso</translation>
    </message>
    <message numerus="yes">
        <source>%n record is overdue. Select one to see the next steps.</source>
        <translation>
            <numerusform>Hay %n registro con retraso. Elija uno para ver qué puede hacer.</numerusform>
            <numerusform>Hay %n registros con retraso. Elija uno para ver qué puede hacer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n records are overdue. Select one to see the next steps.</source>
        <translation>
            <numerusform>Hay %n registro con retraso. Elija uno para ver qué puede hacer.</numerusform>
            <numerusform>Hay %n registros con retraso. Elija uno para ver qué puede hacer.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every visit&apos;s expected records have arrived or are marked.</source>
        <translation>Han llegado, o están marcados, todos los registros que se esperaban de cada visita.</translation>
    </message>
    <message>
        <source>Fetch new records from {names}</source>
        <translation>Traer los registros nuevos de {names}</translation>
    </message>
    <message>
        <source>No connected portal for this person (add one under Portals).</source>
        <translation>Esta persona no tiene ningún portal conectado (añada uno en Portales).</translation>
    </message>
    <message>
        <source>No portal website saved for this person.</source>
        <translation>No hay ninguna web de portal guardada para esta persona.</translation>
    </message>
    <message>
        <source>wait a few more days</source>
        <translation>esperar unos días más</translation>
    </message>
    <message>
        <source>{what} for {person}&apos;s visit “{visit}” on {date} ({provider}). Next: {steps}.</source>
        <translation>{what} de la visita de {person} «{visit}» del {date} ({provider}). Qué hacer: {steps}.</translation>
    </message>
    <message>
        <source>provider unknown</source>
        <translation>médico desconocido</translation>
    </message>
    <message numerus="yes">
        <source>Portal synced: %n new record.</source>
        <translation>
            <numerusform>Portal sincronizado: %n registro nuevo.</numerusform>
            <numerusform>Portal sincronizado: %n registros nuevos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Portal synced: %n new records.</source>
        <translation>
            <numerusform>Portal sincronizado: %n registro nuevo.</numerusform>
            <numerusform>Portal sincronizado: %n registros nuevos.</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing {names}…</source>
        <translation>Sincronizando {names}…</translation>
    </message>
    <message>
        <source>Portal sync</source>
        <translation>Sincronización del portal</translation>
    </message>
    <message>
        <source>Records request letter</source>
        <translation>Carta para pedir registros</translation>
    </message>
    <message>
        <source>records-request-{date}.pdf</source>
        <translation>solicitud-registros-{date}.pdf</translation>
    </message>
    <message>
        <source>Save the request letter</source>
        <translation>Guardar la carta de solicitud</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Letter saved to {path}. The request is tracked; print, sign and send it.</source>
        <translation>Carta guardada en {path}. Se hace el seguimiento de la solicitud; imprímala, fírmela y envíela.</translation>
    </message>
    <message>
        <source>Marked “{what}” ({person}, {date}) as received on paper.</source>
        <translation>«{what}» ({person}, {date}) marcado como recibido en papel.</translation>
    </message>
    <message>
        <source>Marked “{what}” ({person}, {date}) as not needed.</source>
        <translation>«{what}» ({person}, {date}) marcado como que no hace falta.</translation>
    </message>
</context>
<context>
    <name>Ops</name>
    <message>
        <source>Internal error ({name}): this is a bug in MedRecords, not something you did. Your records are safe; try again, and report it if it keeps happening.</source>
        <translation>Error interno ({name}): es un fallo de MedRecords, no algo que usted hizo. Sus registros están a salvo; inténtelo de nuevo y avísenos si sigue pasando.</translation>
    </message>
</context>
<context>
    <name>OptionalDate</name>
    <message>
        <source>{label}: date</source>
        <translation>{label}: fecha</translation>
    </message>
</context>
<context>
    <name>PacketDialog</name>
    <message>
        <source>Medications</source>
        <translation>Medicamentos</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemas de salud</translation>
    </message>
    <message>
        <source>Immunizations</source>
        <translation>Vacunas</translation>
    </message>
    <message>
        <source>Lab results and vitals</source>
        <translation>Análisis y constantes vitales</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Visitas médicas</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>Procedimientos</translation>
    </message>
    <message>
        <source>Documents (attached after the summary)</source>
        <translation>Documentos (adjuntos tras el resumen)</translation>
    </message>
    <message>
        <source>Care plan, goals, upcoming visits</source>
        <translation>Plan de cuidados, objetivos, próximas citas</translation>
    </message>
    <message>
        <source>health-summary-{date}.pdf</source>
        <translation>resumen-de-salud-{date}.pdf</translation>
    </message>
    <message>
        <source>Prepare for an appointment</source>
        <translation>Preparar una cita</translation>
    </message>
    <message>
        <source>One password-protected PDF: a summary of the chosen records, then the chosen documents. Give the password to the doctor separately.</source>
        <translation>Un solo PDF protegido con contraseña: un resumen de los registros elegidos y después los documentos elegidos. Dé la contraseña al médico por separado.</translation>
    </message>
    <message>
        <source>&amp;Person</source>
        <translation>&amp;Persona</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Records from</source>
        <translation>Registros desde</translation>
    </message>
    <message>
        <source>Records up to</source>
        <translation>Registros hasta</translation>
    </message>
    <message>
        <source>to</source>
        <translation>hasta</translation>
    </message>
    <message>
        <source>Records &amp;from</source>
        <translation>Registros &amp;desde</translation>
    </message>
    <message>
        <source>&lt;b&gt;Visits&lt;/b&gt; &lt;span style=&apos;color:{grey}&apos;&gt;(none ticked: every visit in the dates)&lt;/span&gt;</source>
        <translation>&lt;b&gt;Visitas médicas&lt;/b&gt; &lt;span style=&apos;color:{grey}&apos;&gt;(si no marca ninguna: todas las de esas fechas)&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Documents to attach&lt;/b&gt; &lt;span style=&apos;color:{grey}&apos;&gt;(PDFs and images)&lt;/span&gt;</source>
        <translation>&lt;b&gt;Documentos que adjuntar&lt;/b&gt; &lt;span style=&apos;color:{grey}&apos;&gt;(PDF e imágenes)&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Tick the visits to include; none ticked means every visit in the dates. Space ticks the current one.</source>
        <translation>Marque las visitas que quiere incluir; si no marca ninguna, van todas las de esas fechas. La barra espaciadora marca la actual.</translation>
    </message>
    <message>
        <source>Documents to attach</source>
        <translation>Documentos que adjuntar</translation>
    </message>
    <message>
        <source>PDFs and images; Space ticks the current one</source>
        <translation>PDF e imágenes; la barra espaciadora marca el actual</translation>
    </message>
    <message>
        <source>&lt;b&gt;Include&lt;/b&gt;</source>
        <translation>&lt;b&gt;Incluir&lt;/b&gt;</translation>
    </message>
    <message>
        <source>e.g. Dr. Lee, cardiology, 3 December</source>
        <translation>p. ej., Dra. López, cardiología, 3 de diciembre</translation>
    </message>
    <message>
        <source>Prepared f&amp;or</source>
        <translation>Preparado pa&amp;ra</translation>
    </message>
    <message>
        <source>Prepared for</source>
        <translation>Preparado para</translation>
    </message>
    <message>
        <source>Packet lan&amp;guage</source>
        <translation>&amp;Idioma del paquete</translation>
    </message>
    <message>
        <source>Packet language</source>
        <translation>Idioma del paquete</translation>
    </message>
    <message>
        <source>The language the summary is printed in, for the doctor who reads it; the records&apos; own words stay as recorded</source>
        <translation>El idioma en que se imprime el resumen, para el médico que lo lee; las palabras de los propios registros quedan tal como se registraron</translation>
    </message>
    <message>
        <source>Generate a passphrase (shown once, after the packet is written)</source>
        <translation>Crear una frase de contraseña (se muestra una sola vez, al terminar el paquete)</translation>
    </message>
    <message>
        <source>Use my own password</source>
        <translation>Usar mi propia contraseña</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Your password for the packet</source>
        <translation>Su contraseña para el paquete</translation>
    </message>
    <message>
        <source>Again, to confirm</source>
        <translation>Otra vez, para confirmar</translation>
    </message>
    <message>
        <source>Your password again, to confirm</source>
        <translation>Su contraseña otra vez, para confirmar</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>Guardar como</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>Choose where to save the packet</source>
        <translation>Elegir dónde guardar el paquete</translation>
    </message>
    <message>
        <source>&amp;Save as</source>
        <translation>&amp;Guardar como</translation>
    </message>
    <message>
        <source>Writing the packet</source>
        <translation>Creando el paquete</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Create packet</source>
        <translation>Crear el paquete</translation>
    </message>
    <message>
        <source>Packet ready</source>
        <translation>Paquete listo</translation>
    </message>
    <message>
        <source>&lt;b&gt;The packet&apos;s password&lt;/b&gt; — write it down or copy it now; it is not shown again and not stored anywhere.</source>
        <translation>&lt;b&gt;La contraseña del paquete&lt;/b&gt; — apúntela o cópiela ahora; no se vuelve a mostrar ni se guarda en ningún sitio.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy the packet&apos;s password</source>
        <translation>Copiar la contraseña del paquete</translation>
    </message>
    <message>
        <source>What the packet holds</source>
        <translation>Qué contiene el paquete</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>There is nobody in this vault whose records you may export.</source>
        <translation>En esta bóveda no hay nadie cuyos registros pueda usted exportar.</translation>
    </message>
    <message>
        <source>Your access to {name} is view-only: you cannot export their records. Ask the vault&apos;s owner for “manage” access.</source>
        <translation>Su acceso a {name} es solo para ver: no puede exportar sus registros. Pida a la persona propietaria de la bóveda acceso para «gestionar».</translation>
    </message>
    <message numerus="yes">
        <source>%n linked record</source>
        <translation>
            <numerusform>%n registro vinculado</numerusform>
            <numerusform>%n registros vinculados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n linked records</source>
        <translation>
            <numerusform>%n registro vinculado</numerusform>
            <numerusform>%n registros vinculados</numerusform>
        </translation>
    </message>
    <message>
        <source>Save the packet as</source>
        <translation>Guardar el paquete como</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Choose a person.</source>
        <translation>Elija a una persona.</translation>
    </message>
    <message>
        <source>Tick at least one kind of record to include.</source>
        <translation>Marque al menos un tipo de registro para incluir.</translation>
    </message>
    <message>
        <source>Choose where to save the packet.</source>
        <translation>Elija dónde guardar el paquete.</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist.</source>
        <translation>La carpeta {folder} no existe.</translation>
    </message>
    <message>
        <source>The password needs at least 8 characters (a few words are best).</source>
        <translation>La contraseña necesita al menos 8 caracteres (lo mejor son unas cuantas palabras).</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Las dos contraseñas no coinciden.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Empezando…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was written.</source>
        <translation>Cancelado: no se ha escrito nada.</translation>
    </message>
    <message>
        <source>Saved to {path} — {pages}, {size} KB, encrypted with AES-256.</source>
        <translation>Guardado en {path} — {pages}, {size} KB, cifrado con AES-256.</translation>
    </message>
    <message numerus="yes">
        <source>%n page</source>
        <translation>
            <numerusform>%n página</numerusform>
            <numerusform>%n páginas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pages</source>
        <translation>
            <numerusform>%n página</numerusform>
            <numerusform>%n páginas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied. The clipboard will be cleared in %n seconds.</source>
        <translation>
            <numerusform>Copiada. El portapapeles se vaciará dentro de %n segundo.</numerusform>
            <numerusform>Copiada. El portapapeles se vaciará dentro de %n segundos.</numerusform>
        </translation>
    </message>
    <message>
        <source>Summary: pages 1–{last}. An embedded FHIR file carries {n} records for another app.</source>
        <translation>Resumen: páginas 1–{last}. Un archivo FHIR incluido lleva {n} registros para otra aplicación.</translation>
    </message>
    <message>
        <source>Attached documents ({n})</source>
        <translation>Documentos adjuntos ({n})</translation>
    </message>
    <message>
        <source>page {n}</source>
        <translation>página {n}</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Ninguno.</translation>
    </message>
    <message>
        <source>Not attached ({n})</source>
        <translation>Sin adjuntar ({n})</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>saltado</translation>
    </message>
</context>
<context>
    <name>PeopleMenu</name>
    <message>
        <source>Visits</source>
        <translation>Visitas médicas</translation>
    </message>
    <message>
        <source>Results and measurements</source>
        <translation>Resultados y mediciones</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Informes</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documentos</translation>
    </message>
    <message>
        <source>Medications</source>
        <translation>Medicamentos</translation>
    </message>
    <message>
        <source>Immunizations</source>
        <translation>Vacunas</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Problemas de salud</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>Procedimientos</translation>
    </message>
    <message>
        <source>female</source>
        <translation>mujer</translation>
    </message>
    <message>
        <source>male</source>
        <translation>hombre</translation>
    </message>
    <message>
        <source>other</source>
        <translation>otro</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>no se sabe</translation>
    </message>
    <message numerus="yes">
        <source>%n record</source>
        <translation>
            <numerusform>%n registro</numerusform>
            <numerusform>%n registros</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n records</source>
        <translation>
            <numerusform>%n registro</numerusform>
            <numerusform>%n registros</numerusform>
        </translation>
    </message>
    <message>
        <source>no date of birth</source>
        <translation>sin fecha de nacimiento</translation>
    </message>
    <message numerus="yes">
        <source>%n item moved</source>
        <translation>
            <numerusform>%n elemento movido</numerusform>
            <numerusform>%n elementos movidos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n items moved</source>
        <translation>
            <numerusform>%n elemento movido</numerusform>
            <numerusform>%n elementos movidos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n duplicate folded into what was there</source>
        <translation>
            <numerusform>, %n duplicado unido a lo que ya había</numerusform>
            <numerusform>, %n duplicados unidos a lo que ya había</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n duplicates folded into what was there</source>
        <translation>
            <numerusform>, %n duplicado unido a lo que ya había</numerusform>
            <numerusform>, %n duplicados unidos a lo que ya había</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n left out (deleted there before)</source>
        <translation>
            <numerusform>, %n sin pasar (ya se había borrado allí)</numerusform>
            <numerusform>, %n sin pasar (ya se habían borrado allí)</numerusform>
        </translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Merge into…</source>
        <translation>Combinar con…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Quitar…</translation>
    </message>
    <message>
        <source>Change the chosen person&apos;s name, date of birth or sex</source>
        <translation>Cambiar el nombre, la fecha de nacimiento o el sexo de la persona elegida</translation>
    </message>
    <message>
        <source>The chosen person is the same as someone else: bring their records together</source>
        <translation>La persona elegida es la misma que otra: juntar sus registros</translation>
    </message>
    <message>
        <source>Move the chosen person and their records to the Trash</source>
        <translation>Mover a la persona elegida y sus registros a la Papelera</translation>
    </message>
    <message>
        <source>Only the vault&apos;s owner can change people</source>
        <translation>Solo la persona propietaria de la bóveda puede cambiar a las personas</translation>
    </message>
    <message>
        <source>Choose a person in the sidebar first</source>
        <translation>Elija antes a una persona en la barra lateral</translation>
    </message>
    <message>
        <source>Merged {name}: {what}. Restore {name} from the Trash to undo.</source>
        <translation>Se combinó a {name}: {what}. Restaure a {name} desde la Papelera para deshacerlo.</translation>
    </message>
    <message>
        <source>Remove a family member</source>
        <translation>Quitar a un familiar</translation>
    </message>
    <message>
        <source>Move {name} and {records} to the Trash?

You can restore them from the Trash until it is emptied.</source>
        <translation>¿Mover a {name} y {records} a la Papelera?

Podrá restaurarlos desde la Papelera hasta que se vacíe.</translation>
    </message>
    <message>
        <source>{name} is in the Trash.</source>
        <translation>{name} está en la Papelera.</translation>
    </message>
    <message>
        <source>Move to another person</source>
        <translation>Pasar a otra persona</translation>
    </message>
    <message>
        <source>There is nobody else to move it to.</source>
        <translation>No hay nadie más a quien pasarlo.</translation>
    </message>
    <message>
        <source>Whose record is this?</source>
        <translation>¿De quién es este registro?</translation>
    </message>
    <message>
        <source>Moved to {name}: {what}. Undo it from the Trash.</source>
        <translation>Pasado a {name}: {what}. Puede deshacerlo desde la Papelera.</translation>
    </message>
</context>
<context>
    <name>PortalsView</name>
    <message>
        <source>drafted</source>
        <translation>borrador</translation>
    </message>
    <message>
        <source>asked</source>
        <translation>pedida</translation>
    </message>
    <message>
        <source>received</source>
        <translation>recibida</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>rechazada</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>sin conectar</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>conectado</translation>
    </message>
    <message>
        <source>needs sign-in again</source>
        <translation>hay que volver a iniciar sesión</translation>
    </message>
    <message>
        <source>Portal</source>
        <translation>Portal</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Última sincronización</translation>
    </message>
    <message>
        <source>Last checked</source>
        <translation>Última revisión</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>Sitio web</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Proveedor médico</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Asked</source>
        <translation>Pedida</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Plazo</translation>
    </message>
    <message>
        <source>unavailable</source>
        <translation>no disponible</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>Patient portals your family uses. Portals with a FHIR API sync into the vault; for the others, keep the official link here and note when you last looked.</source>
        <translation>Los portales para pacientes que usa su familia. Los portales con una API FHIR se sincronizan con la bóveda; de los demás, guarde aquí el enlace oficial y anote cuándo los revisó por última vez.</translation>
    </message>
    <message>
        <source>Portals</source>
        <translation>Portales</translation>
    </message>
    <message>
        <source>One row per portal account: person, status, last sync, last checked and website</source>
        <translation>Una fila por cuenta de portal: persona, estado, última sincronización, última revisión y sitio web</translation>
    </message>
    <message>
        <source>Add portal…</source>
        <translation>Añadir portal…</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>Conectar…</translation>
    </message>
    <message>
        <source>Sign in on the portal&apos;s own page, in your browser</source>
        <translation>Inicie sesión en la propia página del portal, en su navegador</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Bring the chosen portal&apos;s new records into the vault</source>
        <translation>Traer a la bóveda los registros nuevos del portal elegido</translation>
    </message>
    <message>
        <source>Open website</source>
        <translation>Abrir sitio web</translation>
    </message>
    <message>
        <source>Open the portal&apos;s official website in your browser</source>
        <translation>Abrir el sitio web oficial del portal en su navegador</translation>
    </message>
    <message>
        <source>Checked today</source>
        <translation>Revisado hoy</translation>
    </message>
    <message>
        <source>Note that you looked at this portal today</source>
        <translation>Anotar que hoy revisó este portal</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Portal status</source>
        <translation>Estado del portal</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Records requests</source>
        <translation>Solicitudes de registros médicos</translation>
    </message>
    <message>
        <source>Requests for records that came on paper or not at all (started from the missing-records list). Providers have 30 days to answer.</source>
        <translation>Solicitudes de registros que llegaron en papel o no llegaron (se inician desde la lista de registros que faltan). Los proveedores médicos tienen 30 días para responder.</translation>
    </message>
    <message>
        <source>One row per request: person, provider, what was asked for, when, when it is due and its status</source>
        <translation>Una fila por solicitud: persona, proveedor médico, qué se pidió, cuándo, el plazo y su estado</translation>
    </message>
    <message>
        <source>No records requests yet. Start one from a visit whose papers never came.</source>
        <translation>Todavía no hay solicitudes de registros. Inicie una desde una visita cuyos papeles nunca llegaron.</translation>
    </message>
    <message>
        <source>Status of the selected request</source>
        <translation>Estado de la solicitud elegida</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Cambiar estado</translation>
    </message>
    <message>
        <source>Give the selected request the status chosen beside it</source>
        <translation>Dar a la solicitud elegida el estado escogido al lado</translation>
    </message>
    <message>
        <source>Selected &amp;request:</source>
        <translation>Solicitud e&amp;legida:</translation>
    </message>
    <message>
        <source>no API: visit the website</source>
        <translation>sin API: visite el sitio web</translation>
    </message>
    <message>
        <source>{portal}, {person}: {status}; last sync {sync}, last checked {checked}</source>
        <translation>{portal}, {person}: {status}; última sincronización {sync}, última revisión {checked}</translation>
    </message>
    <message>
        <source>everyone</source>
        <translation>todos</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>{what} from {provider} for {person}, asked {asked}, due {due}: {status}</source>
        <translation>{what} de {provider} para {person}, pedida el {asked}, plazo {due}: {status}</translation>
    </message>
    <message>
        <source>Added {name}.</source>
        <translation>Se añadió {name}.</translation>
    </message>
    <message>
        <source>Connect it to sync.</source>
        <translation>Conéctelo para sincronizar.</translation>
    </message>
    <message>
        <source>Noted: {name} checked today.</source>
        <translation>Anotado: {name} revisado hoy.</translation>
    </message>
    <message>
        <source>{address} is not an https address; not opened.</source>
        <translation>{address} no es una dirección https; no se abrió.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelado.</translation>
    </message>
    <message>
        <source>Sign in again: {reason} Press Connect… to sign in on the portal&apos;s page.</source>
        <translation>Vuelva a iniciar sesión: {reason} Pulse Conectar… para iniciar sesión en la página del portal.</translation>
    </message>
    <message>
        <source>Connected to {name}. Press Sync now to bring the records in.</source>
        <translation>Conectado a {name}. Pulse Sincronizar ahora para traer los registros.</translation>
    </message>
    <message>
        <source>Waiting for you to sign in to {name} in your browser… (Cancel to stop waiting)</source>
        <translation>Esperando a que inicie sesión en {name} en su navegador… (Cancelar para dejar de esperar)</translation>
    </message>
    <message>
        <source>{message} ({count} so far)</source>
        <translation>{message} ({count} hasta ahora)</translation>
    </message>
    <message>
        <source>Syncing {name}…</source>
        <translation>Sincronizando {name}…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message numerus="yes">
        <source>{account}: up to date — nothing new (%n record checked).</source>
        <translation>
            <numerusform>{account}: al día; nada nuevo (se revisó %n registro).</numerusform>
            <numerusform>{account}: al día; nada nuevo (se revisaron %n registros).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{account}: up to date — nothing new (%n records checked).</source>
        <translation>
            <numerusform>{account}: al día; nada nuevo (se revisó %n registro).</numerusform>
            <numerusform>{account}: al día; nada nuevo (se revisaron %n registros).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n updated</source>
        <translation>
            <numerusform>%n actualizado</numerusform>
            <numerusform>%n actualizados</numerusform>
        </translation>
    </message>
    <message>
        <source>{account}: {added} new ({kinds}){updated}.</source>
        <translation>{account}: {added} nuevos ({kinds}){updated}.</translation>
    </message>
    <message numerus="yes">
        <source>%n already in the vault.</source>
        <translation>
            <numerusform>%n ya estaba en la bóveda.</numerusform>
            <numerusform>%n ya estaban en la bóveda.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem:</source>
        <translation>
            <numerusform>%n problema:</numerusform>
            <numerusform>%n problemas:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problems:</source>
        <translation>
            <numerusform>%n problema:</numerusform>
            <numerusform>%n problemas:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Provenance</name>
    <message>
        <source>Entered by {who}</source>
        <translation>Anotado por {who}</translation>
    </message>
    <message>
        <source>Entered by hand</source>
        <translation>Anotado a mano</translation>
    </message>
    <message>
        <source> on {date}</source>
        <translation> el {date}</translation>
    </message>
    <message>
        <source>From the patient portal {name}</source>
        <translation>Del portal del paciente {name}</translation>
    </message>
    <message>
        <source>, synced {date}</source>
        <translation>, sincronizado el {date}</translation>
    </message>
    <message>
        <source>Read from the document “{name}”</source>
        <translation>Leído del documento «{name}»</translation>
    </message>
    <message>
        <source>, confirmed by {who}</source>
        <translation>, confirmado por {who}</translation>
    </message>
    <message>
        <source>Demo data (made up)</source>
        <translation>Datos de demostración (inventados)</translation>
    </message>
    <message>
        <source>From the records packet {name}</source>
        <translation>Del paquete de registros {name}</translation>
    </message>
    <message>
        <source>, imported {date}</source>
        <translation>, importado el {date}</translation>
    </message>
    <message>
        <source>From the file {name}</source>
        <translation>Del archivo {name}</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(sin nombre)</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>Scans and photos (*.png *.jpg *.jpeg *.tif *.tiff *.heic *.webp *.gif *.pdf);;All files (*)</source>
        <translation>Escaneos y fotos (*.png *.jpg *.jpeg *.tif *.tiff *.heic *.webp *.gif *.pdf);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>Aña&amp;dir</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Añadir…</translation>
    </message>
    <message>
        <source>Add a record of your own: a lab result, a blood pressure, a medication…</source>
        <translation>Añadir un registro propio: un resultado de laboratorio, una tensión arterial, un medicamento…</translation>
    </message>
    <message>
        <source>Add scan or photo…</source>
        <translation>Añadir escaneo o foto…</translation>
    </message>
    <message>
        <source>Item details…</source>
        <translation>Detalles del elemento…</translation>
    </message>
    <message>
        <source>Correct item…</source>
        <translation>Corregir el elemento…</translation>
    </message>
    <message>
        <source>Move to Trash</source>
        <translation>Mover a la Papelera</translation>
    </message>
    <message>
        <source>Read results from this document…</source>
        <translation>Leer los resultados de este documento…</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Detalles…</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>Corregir…</translation>
    </message>
    <message>
        <source>Move to another person…</source>
        <translation>Pasar a otra persona…</translation>
    </message>
    <message>
        <source>the record</source>
        <translation>el registro</translation>
    </message>
    <message>
        <source>Added “{title}”.</source>
        <translation>Se añadió «{title}».</translation>
    </message>
    <message>
        <source>Moved “{title}” to the Trash.</source>
        <translation>«{title}» se movió a la Papelera.</translation>
    </message>
    <message>
        <source>Reading results from documents is not available in this build.</source>
        <translation>Leer resultados de documentos no está disponible en esta versión.</translation>
    </message>
    <message>
        <source>Reading the document…</source>
        <translation>Leyendo el documento…</translation>
    </message>
    <message numerus="yes">
        <source>Added %n result from the document.</source>
        <translation>
            <numerusform>Se añadió %n resultado del documento.</numerusform>
            <numerusform>Se añadieron %n resultados del documento.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n results from the document.</source>
        <translation>
            <numerusform>Se añadió %n resultado del documento.</numerusform>
            <numerusform>Se añadieron %n resultados del documento.</numerusform>
        </translation>
    </message>
    <message>
        <source>Add scan or photo</source>
        <translation>Añadir escaneo o foto</translation>
    </message>
    <message>
        <source>Whose record is this?</source>
        <translation>¿De quién es este registro?</translation>
    </message>
    <message>
        <source>Adding the scan… (reading its text can take a little while)</source>
        <translation>Añadiendo el escaneo… (leer su texto puede tardar un poco)</translation>
    </message>
    <message numerus="yes">
        <source>Scan added (%n item)</source>
        <translation>
            <numerusform>Escaneo añadido (%n elemento)</numerusform>
            <numerusform>Escaneo añadido (%n elementos)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Scan added (%n items)</source>
        <translation>
            <numerusform>Escaneo añadido (%n elemento)</numerusform>
            <numerusform>Escaneo añadido (%n elementos)</numerusform>
        </translation>
    </message>
    <message>
        <source>This scan was already in the vault</source>
        <translation>Este escaneo ya estaba en la bóveda</translation>
    </message>
</context>
<context>
    <name>RecoveryCodeDialog</name>
    <message>
        <source>Recovery code</source>
        <translation>Código de recuperación</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;&apos;s recovery code. Give it to them to keep somewhere safe: it opens their access if they forget their passphrase. It is shown only now.</source>
        <translation>Código de recuperación de &lt;b&gt;{name}&lt;/b&gt;. Déselo para que lo guarde en un lugar seguro: le abre su acceso si olvida su frase de contraseña. Solo se muestra ahora.</translation>
    </message>
</context>
<context>
    <name>ReviewResults</name>
    <message>
        <source>Keep</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>LOINC</source>
        <translation>LOINC</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Mín.</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Máx.</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>Marca</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Reading results from documents is not available in this build.</source>
        <translation>Esta versión no puede leer resultados de documentos.</translation>
    </message>
    <message>
        <source>Read as: {line}</source>
        <translation>Se leyó: {line}</translation>
    </message>
    <message>
        <source>Confidence {percent}</source>
        <translation>Seguridad de la lectura: {percent}</translation>
    </message>
    <message>
        <source> — please check</source>
        <translation> — compruébelo, por favor</translation>
    </message>
</context>
<context>
    <name>ReviewResultsDialog</name>
    <message>
        <source>Review results</source>
        <translation>Revisar los resultados</translation>
    </message>
    <message>
        <source>Results read from “{title}”</source>
        <translation>Resultados leídos de «{title}»</translation>
    </message>
    <message>
        <source>Results read from the document</source>
        <translation>Resultados leídos del documento</translation>
    </message>
    <message>
        <source>Check each row against the document. Highlighted cells were hard to read; double-click a cell (or press F2) to fix it, untick rows that are not results. Nothing is saved until you confirm.</source>
        <translation>Compare cada fila con el documento. Las celdas resaltadas fueron difíciles de leer; haga doble clic en una celda (o pulse F2) para corregirla y desmarque las filas que no sean resultados. No se guarda nada hasta que confirme.</translation>
    </message>
    <message>
        <source>Space ticks or unticks a row; F2 edits a cell</source>
        <translation>Espacio marca o desmarca una fila; F2 corrige una celda</translation>
    </message>
    <message>
        <source>The document&apos;s text</source>
        <translation>El texto del documento</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Confirmar</translation>
    </message>
    <message>
        <source>No lab results were found in this document.</source>
        <translation>No se encontraron resultados de laboratorio en este documento.</translation>
    </message>
    <message numerus="yes">
        <source>%n of {total} rows will be added.</source>
        <translation>
            <numerusform>Se añadirá %n de {total} filas.</numerusform>
            <numerusform>Se añadirán %n de {total} filas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Tick at least one row, or Cancel.</source>
        <translation>Marque al menos una fila, o Cancele.</translation>
    </message>
</context>
<context>
    <name>SchoolFormGaps</name>
    <message>
        <source>{name}: {vaccine} on {date} (only on “{source}”)</source>
        <translation>{name}: {vaccine} el {date} (solo en «{source}»)</translation>
    </message>
    <message>
        <source>a form</source>
        <translation>un formulario</translation>
    </message>
    <message>
        <source>Immunizations with no record from the clinic or a portal — a school form or a scanned card says they were given; ask the clinic for its record:</source>
        <translation>Vacunas sin registro de la clínica ni de un portal — un formulario escolar o una cartilla escaneada dice que se pusieron; pida a la clínica su registro:</translation>
    </message>
</context>
<context>
    <name>SearchView</name>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Resultados de la búsqueda</translation>
    </message>
    <message>
        <source>Type in the search field (Ctrl+F) to search every record, note and document.</source>
        <translation>Escriba en el campo de búsqueda (Ctrl+F) para buscar en todos los registros, notas y documentos.</translation>
    </message>
    <message>
        <source>Select a result to open it here.</source>
        <translation>Elija un resultado para abrirlo aquí.</translation>
    </message>
    <message>
        <source>Results for “{text}”</source>
        <translation>Resultados de «{text}»</translation>
    </message>
    <message numerus="yes">
        <source>%n found</source>
        <translation>
            <numerusform>%n encontrado</numerusform>
            <numerusform>%n encontrados</numerusform>
        </translation>
    </message>
    <message>
        <source> (best 50 shown)</source>
        <translation> (se muestran los 50 mejores)</translation>
    </message>
    <message>
        <source>Nothing found for “{text}”.
Try fewer or different words.</source>
        <translation>No se encontró nada para «{text}».
Pruebe con menos palabras o con otras.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nunca</translation>
    </message>
    <message>
        <source>Lock after idle for, in minutes</source>
        <translation>Bloquear tras estos minutos sin uso</translation>
    </message>
    <message>
        <source>0 means never lock by itself</source>
        <translation>0 significa no bloquear nunca por sí solo</translation>
    </message>
    <message>
        <source>&amp;Lock after idle for</source>
        <translation>&amp;Bloquear tras un rato sin uso</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Como el sistema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apariencia</translation>
    </message>
    <message>
        <source>High contrast follows the system&apos;s accessibility setting.</source>
        <translation>El alto contraste sigue el ajuste de accesibilidad del sistema.</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Apariencia</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Applies the next time MedRecords starts.</source>
        <translation>Se aplica la próxima vez que abra MedRecords.</translation>
    </message>
    <message>
        <source>La&amp;nguage</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>A new language applies the next time MedRecords starts. The vault also locks when you press Ctrl+L. Settings hold no health data.</source>
        <translation>Un idioma nuevo se aplica la próxima vez que abra MedRecords. La bóveda también se bloquea al pulsar Ctrl+L. Las preferencias no guardan datos de salud.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
</context>
<context>
    <name>Sharing</name>
    <message>
        <source>Prepare for an appointment…</source>
        <translation>Preparar una cita…</translation>
    </message>
    <message>
        <source>Export a password-protected PDF of the records a doctor needs (Ctrl+P)</source>
        <translation>Exportar un PDF protegido con contraseña con los registros que necesita el médico (Ctrl+P)</translation>
    </message>
    <message>
        <source>People and access…</source>
        <translation>Personas y acceso…</translation>
    </message>
    <message>
        <source>Who is signed in and whom they may see — click for People and access</source>
        <translation>Quién ha iniciado sesión y de quién puede ver los registros; haga clic para ir a Personas y acceso</translation>
    </message>
    <message>
        <source>Who is signed in</source>
        <translation>Quién ha iniciado sesión</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Suspendido</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resuelto</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactivo</translation>
    </message>
    <message>
        <source>On-hold</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <source>Intended</source>
        <translation>Previsto</translation>
    </message>
    <message>
        <source>Remission</source>
        <translation>En remisión</translation>
    </message>
    <message>
        <source>Recurrence</source>
        <translation>Ha vuelto</translation>
    </message>
    <message>
        <source>Mild</source>
        <translation>Leve</translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation>Moderada</translation>
    </message>
    <message>
        <source>Severe</source>
        <translation>Grave</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>Timeline</source>
        <translation>Cronología</translation>
    </message>
    <message>
        <source>&amp;Jump to date…</source>
        <translation>&amp;Ir a una fecha…</translation>
    </message>
    <message>
        <source>Jump to date</source>
        <translation>Ir a una fecha</translation>
    </message>
    <message>
        <source>Records newest first, grouped by day</source>
        <translation>Registros, los más recientes primero, agrupados por día</translation>
    </message>
    <message>
        <source>Nothing matches these filters.
Try a wider date range or more kinds (or click “All dates”).</source>
        <translation>Nada coincide con estos filtros.
Pruebe con más fechas o más tipos (o haga clic en «Todas las fechas»).</translation>
    </message>
    <message>
        <source>No records yet.
Drag files or folders onto this window, or choose File › Import… (Ctrl+I).</source>
        <translation>Todavía no hay registros.
Arrastre archivos o carpetas a esta ventana, o elija Archivo › Importar… (Ctrl+I).</translation>
    </message>
</context>
<context>
    <name>TrashView</name>
    <message>
        <source>Deleted</source>
        <translation>Borrado</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Elemento</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Undone import</source>
        <translation>Importación deshecha</translation>
    </message>
    <message>
        <source>Moved away</source>
        <translation>Pasado a otra persona</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>Papelera</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restaurar</translation>
    </message>
    <message>
        <source>Put the chosen items back where they were</source>
        <translation>Devolver los elementos elegidos a su sitio</translation>
    </message>
    <message>
        <source>Empty Trash…</source>
        <translation>Vaciar la Papelera…</translation>
    </message>
    <message>
        <source>Delete everything in the Trash for good; asks first</source>
        <translation>Borrar para siempre todo lo que hay en la Papelera; pregunta antes</translation>
    </message>
    <message>
        <source>Deleted items stay here until the Trash is emptied; re-importing a file never brings back an item you deleted. Undone imports, moves and removed people come back whole with Restore.</source>
        <translation>Lo que se borra se queda aquí hasta que se vacía la Papelera; volver a importar un archivo nunca trae de vuelta algo que usted borró. Las importaciones deshechas, lo pasado a otra persona y las personas quitadas vuelven enteras con Restaurar.</translation>
    </message>
    <message>
        <source>Deleted items</source>
        <translation>Elementos borrados</translation>
    </message>
    <message>
        <source>Choose one or more rows, then Restore</source>
        <translation>Elija una o más filas y luego Restaurar</translation>
    </message>
    <message>
        <source>The Trash is empty.
Deleted items, undone imports and removed people come here.</source>
        <translation>La Papelera está vacía.
Aquí llegan los elementos borrados, las importaciones deshechas y las personas quitadas.</translation>
    </message>
    <message numerus="yes">
        <source>%n item</source>
        <translation>
            <numerusform>%n elemento</numerusform>
            <numerusform>%n elementos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n items</source>
        <translation>
            <numerusform>%n elemento</numerusform>
            <numerusform>%n elementos</numerusform>
        </translation>
    </message>
    <message>
        <source>deleted {when}</source>
        <translation>borrado el {when}</translation>
    </message>
    <message>
        <source>Empty Trash</source>
        <translation>Vaciar la Papelera</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n item for good? This cannot be undone.</source>
        <translation>
            <numerusform>¿Borrar %n elemento para siempre? No se puede deshacer.</numerusform>
            <numerusform>¿Borrar %n elementos para siempre? No se puede deshacer.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n items for good? This cannot be undone.</source>
        <translation>
            <numerusform>¿Borrar %n elemento para siempre? No se puede deshacer.</numerusform>
            <numerusform>¿Borrar %n elementos para siempre? No se puede deshacer.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UndoNotice</name>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Undo the last change</source>
        <translation>Deshacer el último cambio</translation>
    </message>
</context>
<context>
    <name>Unlock</name>
    <message>
        <source>Too short</source>
        <translation>Demasiado corta</translation>
    </message>
    <message>
        <source>Weak</source>
        <translation>Débil</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>Aceptable</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Buena</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>Muy buena</translation>
    </message>
    <message>
        <source>Wrong passphrase. Check Caps Lock, or type your recovery code instead.</source>
        <translation>La frase de contraseña no es correcta. Revise Bloq Mayús, o escriba su código de recuperación.</translation>
    </message>
    <message>
        <source>The vault is damaged and cannot be opened: {reason} </source>
        <translation>La bóveda está dañada y no se puede abrir: {reason} </translation>
    </message>
    <message>
        <source>This vault is already open in another MedRecords window. Close it there first.</source>
        <translation>Esta bóveda ya está abierta en otra ventana de MedRecords. Ciérrela allí primero.</translation>
    </message>
    <message>
        <source>No vault was found there. {reason}</source>
        <translation>No se encontró ninguna bóveda ahí. {reason}</translation>
    </message>
</context>
<context>
    <name>UnlockScreen</name>
    <message>
        <source>Welcome to MedRecords</source>
        <translation>Le damos la bienvenida a MedRecords</translation>
    </message>
    <message>
        <source>Your family&apos;s health records in one place — encrypted, on this computer, and never uploaded.</source>
        <translation>Los registros de salud de su familia en un solo lugar: cifrados, en esta computadora y sin subirse nunca a internet.</translation>
    </message>
    <message>
        <source>&amp;Create my vault</source>
        <translation>&amp;Crear mi bóveda</translation>
    </message>
    <message>
        <source>Create my vault</source>
        <translation>Crear mi bóveda</translation>
    </message>
    <message>
        <source>&amp;Explore a demo vault</source>
        <translation>&amp;Explorar una bóveda de demostración</translation>
    </message>
    <message>
        <source>Explore a demo vault</source>
        <translation>Explorar una bóveda de demostración</translation>
    </message>
    <message>
        <source>A made-up family, to look around first</source>
        <translation>Una familia inventada, para echar un vistazo primero</translation>
    </message>
    <message>
        <source>The demo holds a made-up family only, so you can look around before adding real records.</source>
        <translation>La demostración solo tiene una familia inventada, para que pueda echar un vistazo antes de añadir registros reales.</translation>
    </message>
    <message>
        <source>Create your vault</source>
        <translation>Cree su bóveda</translation>
    </message>
    <message>
        <source>Choose a passphrase you can remember: a few unrelated words work well. Nobody, including us, can recover it without your recovery code.</source>
        <translation>Elija una frase de contraseña que pueda recordar: unas cuantas palabras sin relación entre sí funcionan bien. Nadie, ni siquiera nosotros, puede recuperarla sin su código de recuperación.</translation>
    </message>
    <message>
        <source>Vault location</source>
        <translation>Ubicación de la bóveda</translation>
    </message>
    <message>
        <source>The folder the encrypted vault is created in</source>
        <translation>La carpeta donde se crea la bóveda cifrada</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Examinar…</translation>
    </message>
    <message>
        <source>Browse for the vault location</source>
        <translation>Elegir la ubicación de la bóveda</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <source>e.g. Maria Garcia</source>
        <translation>p. ej. María García</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Su nombre</translation>
    </message>
    <message>
        <source>Your &amp;name</source>
        <translation>Su &amp;nombre</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Frase de contraseña</translation>
    </message>
    <message>
        <source>At least 8 characters; a few unrelated words are best</source>
        <translation>Al menos 8 caracteres; lo mejor son unas cuantas palabras sin relación</translation>
    </message>
    <message>
        <source>&amp;Passphrase</source>
        <translation>&amp;Frase de contraseña</translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <translation>Solidez de la frase de contraseña</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>Repita la frase de contraseña</translation>
    </message>
    <message>
        <source>A&amp;gain</source>
        <translation>&amp;Repítala</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Back to the welcome page</source>
        <translation>Volver a la página de bienvenida</translation>
    </message>
    <message>
        <source>Create vault</source>
        <translation>Crear la bóveda</translation>
    </message>
    <message>
        <source>Your recovery code</source>
        <translation>Su código de recuperación</translation>
    </message>
    <message>
        <source>If you forget your passphrase, this code is the only way back in. Write it down and keep it somewhere safe, away from this computer. It is shown only once.</source>
        <translation>Si olvida su frase de contraseña, este código es la única forma de volver a entrar. Anótelo y guárdelo en un lugar seguro, lejos de esta computadora. Solo se muestra una vez.</translation>
    </message>
    <message>
        <source>Recovery code</source>
        <translation>Código de recuperación</translation>
    </message>
    <message>
        <source>I have &amp;saved it</source>
        <translation>Ya lo he &amp;guardado</translation>
    </message>
    <message>
        <source>I have saved the recovery code</source>
        <translation>Ya he guardado el código de recuperación</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Unlock your vault</source>
        <translation>Abra su bóveda</translation>
    </message>
    <message>
        <source>Enter your passphrase to open your family&apos;s records.</source>
        <translation>Escriba su frase de contraseña para abrir los registros de su familia.</translation>
    </message>
    <message>
        <source>Passphrase or recovery code</source>
        <translation>Frase de contraseña o código de recuperación</translation>
    </message>
    <message>
        <source>Press Enter to unlock</source>
        <translation>Pulse Intro para abrir</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Create a new vault or explore the demo…</source>
        <translation>Crear una bóveda nueva o explorar la demostración…</translation>
    </message>
    <message>
        <source>Create a new vault or explore the demo</source>
        <translation>Crear una bóveda nueva o explorar la demostración</translation>
    </message>
    <message>
        <source>Where should the vault live?</source>
        <translation>¿Dónde debe guardarse la bóveda?</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Las dos frases de contraseña no coinciden.</translation>
    </message>
    <message>
        <source>Use at least 8 characters; a few words are best.</source>
        <translation>Use al menos 8 caracteres; lo mejor son unas cuantas palabras.</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Creando…</translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation>Abriendo…</translation>
    </message>
    <message>
        <source>Preparing the demo family… (a few seconds the first time)</source>
        <translation>Preparando la familia de demostración… (unos segundos la primera vez)</translation>
    </message>
</context>
<context>
    <name>Viewer</name>
    <message>
        <source>This XML document could not be read ({reason}).</source>
        <translation>No se pudo leer este documento XML ({reason}).</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documentos</translation>
    </message>
    <message>
        <source>Encounters</source>
        <translation>Visitas médicas</translation>
    </message>
    <message>
        <source>Labs</source>
        <translation>Resultados de laboratorio</translation>
    </message>
    <message>
        <source>Medications</source>
        <translation>Medicamentos</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Cronología</translation>
    </message>
    <message>
        <source>Immunizations</source>
        <translation>Vacunas</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>Papelera</translation>
    </message>
    <message>
        <source>Import history</source>
        <translation>Historial de importaciones</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Registro de actividad</translation>
    </message>
    <message>
        <source>Missing records</source>
        <translation>Registros que faltan</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Reclamaciones</translation>
    </message>
    <message>
        <source>People and access</source>
        <translation>Personas y acceso</translation>
    </message>
    <message>
        <source>Portals &amp; sources</source>
        <translation>Portales y fuentes</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Dispositivos</translation>
    </message>
</context>
<context>
    <name>WrongPersonDialog</name>
    <message>
        <source>Is this the right person?</source>
        <translation>¿Es la persona correcta?</translation>
    </message>
    <message>
        <source>another patient</source>
        <translation>otro paciente</translation>
    </message>
    <message>
        <source>, born {date}</source>
        <translation>, nacido/a el {date}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{file}&lt;/b&gt; is about &lt;b&gt;{name}&lt;/b&gt;{born}.&lt;br&gt;&lt;br&gt;You are adding it to &lt;b&gt;{person}&lt;/b&gt;{person_born}.&lt;br&gt;&lt;br&gt;Records filed under the wrong person can mislead a doctor. Add it to {person} anyway?</source>
        <translation>&lt;b&gt;{file}&lt;/b&gt; es de &lt;b&gt;{name}&lt;/b&gt;{born}.&lt;br&gt;&lt;br&gt;Lo está añadiendo a los registros de &lt;b&gt;{person}&lt;/b&gt;{person_born}.&lt;br&gt;&lt;br&gt;Los registros guardados con la persona equivocada pueden confundir a un médico. ¿Añadirlo a {person} de todos modos?</translation>
    </message>
    <message>
        <source>Don&apos;t add it</source>
        <translation>No añadirlo</translation>
    </message>
    <message>
        <source>Add to {person}</source>
        <translation>Añadir a {person}</translation>
    </message>
    <message>
        <source>Leave the file out of these records</source>
        <translation>Dejar el archivo fuera de estos registros</translation>
    </message>
    <message>
        <source>File it under this person all the same</source>
        <translation>Guardarlo con esta persona de todos modos</translation>
    </message>
</context>
</TS>
